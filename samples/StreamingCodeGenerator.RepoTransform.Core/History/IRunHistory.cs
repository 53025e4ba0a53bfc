namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Where runs are stored: <see cref="SqliteRunHistory"/> (a file, the CLI's default) or <see cref="PostgresRunHistory"/>
/// (what several instances of the web service share). The schema is created and migrated on first use.
/// </summary>
public interface IRunHistory : IAsyncDisposable
{
    /// <summary>Stores a run.</summary>
    /// <param name="run">The run; its <see cref="RunRecord.Id"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The id the history gave the run.</returns>
    /// <exception cref="HistoryException">The database cannot be opened or migrated.</exception>
    Task<long> AddAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks that runs can be stored: opens the history (creating and migrating it on first use) and makes sure it can
    /// be written. A run calls it before it sends anything, so a history that cannot take the run fails it before the
    /// model is paid for.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the history is known to be writable.</returns>
    /// <exception cref="HistoryException">The history cannot be opened, migrated or written; the message says why.</exception>
    Task EnsureWritableAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Reads the most recent runs, newest first.</summary>
    /// <param name="count">The most runs to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    /// <exception cref="HistoryException">The database cannot be opened or migrated.</exception>
    Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Reads one run.</summary>
    /// <param name="id">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run, or <see langword="null"/> when there is none with that id.</returns>
    /// <exception cref="HistoryException">The database cannot be opened or migrated.</exception>
    Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken = default);
}
