using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Runs stored in a SQLite file (Microsoft.Data.Sqlite): the CLI's default history. The file and its folder are
/// created, and the schema migrated, on first use.
/// </summary>
public sealed class SqliteRunHistory : IRunHistory
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Creates a history over a SQLite file.</summary>
    /// <param name="path">The database file; created with its folder when missing.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public SqliteRunHistory(string path)
        : this(path, SqliteMigrations.All)
    {
    }

    internal SqliteRunHistory(string path, IReadOnlyList<Migration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = System.IO.Path.GetFullPath(path);
        _migrations = migrations;

        // No pooling: each call opens and closes the file, so no handle outlives the call (tests delete the file; other
        // processes may share it).
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async Task<long> AddAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        SqliteCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = $"INSERT INTO runs {RunColumns.InsertColumns} VALUES {RunColumns.InsertValues} RETURNING id";
        command.Parameters.AddWithValue("@started_at", RunColumns.FormatTimestamp(run.StartedAt));
        command.Parameters.AddWithValue("@files", RunFilesJson.Write(run.Files));
        RunColumns.AddCommonParameters(command, run);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        SqliteCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = RunColumns.Select + " ORDER BY id DESC LIMIT @count";
        command.Parameters.AddWithValue("@count", count);
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        SqliteCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = RunColumns.Select + " WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        IReadOnlyList<RunRecord> runs = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>Nothing to release: every call opens and closes its own connection.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _migrationGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The schema version of the database file (0 when none), migrating it first.</summary>
    internal async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        SqliteCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(RunColumns.Read(reader, RunColumns.ParseTimestamp(reader.GetString(1))));
        }

        return runs;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            string? folder = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_migrated)
            {
                await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new HistoryException($"Could not open the run history '{FilePath}': {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated)
            {
                return;
            }

            // BEGIN IMMEDIATE takes the write lock up front, so two processes opening a new file migrate it once.
            SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                await MigrationRunner.MigrateAsync(connection, transaction, SqliteMigrations.CreateVersionTable, _migrations, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            _migrated = true;
        }
        finally
        {
            _migrationGate.Release();
        }
    }
}
