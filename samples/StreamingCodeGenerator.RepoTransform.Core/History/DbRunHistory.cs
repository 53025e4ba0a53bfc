using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// What every database-backed history does the same way, over ADO.NET: open a connection and migrate the schema on
/// first use (once per instance), insert, list and read runs. A database adds only how it connects, how it makes the
/// migration exclusive, and the two column types that differ (the start time and the file list).
/// </summary>
public abstract class DbRunHistory : IRunHistory
{
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Only this assembly's histories derive from this class.</summary>
    private protected DbRunHistory(IReadOnlyList<Migration> migrations)
    {
        _migrations = migrations;
    }

    /// <summary>Gets the <c>ORDER BY</c> clause that lists the newest runs first.</summary>
    private protected abstract string NewestFirst { get; }

    /// <inheritdoc />
    public async Task<long> AddAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        DbCommand command = MigrationRunner.Command(
            connection, transaction: null, $"INSERT INTO runs {RunColumns.InsertColumns} VALUES {RunColumns.InsertValues} RETURNING id");
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        AddStartedAtAndFiles(command, run);
        RunColumns.AddCommonParameters(command, run);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task EnsureWritableAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        EnsureWritable(connection);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return await QueryAsync($"{RunColumns.Select} ORDER BY {NewestFirst} LIMIT @count", "@count", count, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RunRecord> runs = await QueryAsync($"{RunColumns.Select} WHERE id = @id", "@id", id, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>Releases what the history holds (the gate that serializes its migration, and the database's own).</summary>
    /// <returns>A task that completes when it is released.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync().ConfigureAwait(false);
        _migrationGate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The schema version of the database (0 when none), migrating it first.</summary>
    internal async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        DbCommand command = MigrationRunner.Command(connection, transaction: null, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Gets what the history is called in an error message (never with a password).</summary>
    private protected abstract string Description { get; }

    /// <summary>Creates a connection, not yet open (a file history creates its folder here).</summary>
    private protected abstract DbConnection CreateConnection();

    /// <summary>
    /// Begins the migration's transaction and makes it exclusive, so that processes opening a new database together
    /// migrate it once.
    /// </summary>
    private protected abstract Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Gets the SQL that creates <c>schema_version</c> when it is missing.</summary>
    private protected abstract string CreateVersionTable { get; }

    /// <summary>Adds <c>@started_at</c> and <c>@files</c>, whose column types differ by database.</summary>
    private protected abstract void AddStartedAtAndFiles(DbCommand command, RunRecord run);

    /// <summary>Reads the <c>started_at</c> column (ordinal 1).</summary>
    private protected abstract DateTimeOffset ReadStartedAt(DbDataReader reader);

    /// <summary>Throws a <see cref="HistoryException"/> when an open connection cannot write (a read-only file).</summary>
    private protected virtual void EnsureWritable(DbConnection connection)
    {
    }

    /// <summary>Releases the database's own resources (a connection pool).</summary>
    /// <returns>A task that completes when they are released.</returns>
    private protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    private async Task<IReadOnlyList<RunRecord>> QueryAsync(string sql, string parameter, object value, CancellationToken cancellationToken)
    {
        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        DbCommand command = MigrationRunner.Command(connection, transaction: null, sql);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        MigrationRunner.AddParameter(command, parameter, value);
        var runs = new List<RunRecord>();
        DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(RunColumns.Read(reader, ReadStartedAt(reader)));
        }

        return runs;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = CreateConnection();
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_migrated)
            {
                await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw new HistoryException($"Could not open {Description}: {ex.Message}", ex);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated)
            {
                return;
            }

            DbTransaction transaction = await BeginExclusiveAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await MigrationRunner.MigrateAsync(connection, transaction, CreateVersionTable, _migrations, cancellationToken).ConfigureAwait(false);
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
