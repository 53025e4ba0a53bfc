using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Runs stored in PostgreSQL (Npgsql): the database kind TinyGen used (Supabase), and what several instances of the
/// web service share. The schema is migrated on first use under an advisory lock, so instances starting together
/// migrate it once.
/// </summary>
public sealed class PostgresRunHistory : IRunHistory
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Creates a history over a PostgreSQL database.</summary>
    /// <param name="connectionString">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql <c>Host=…;Database=…</c> string.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or white space.</exception>
    /// <exception cref="HistoryException">The connection string is not valid.</exception>
    public PostgresRunHistory(string connectionString)
        : this(connectionString, PostgresMigrations.All)
    {
    }

    internal PostgresRunHistory(string connectionString, IReadOnlyList<Migration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionString.ToNpgsql(connectionString));
        _migrations = migrations;
    }

    /// <inheritdoc />
    public async Task<long> AddAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = $"INSERT INTO runs {RunColumns.InsertColumns} VALUES {RunColumns.InsertValues} RETURNING id";
        command.Parameters.Add(new NpgsqlParameter("@started_at", NpgsqlDbType.TimestampTz) { Value = run.StartedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("@files", NpgsqlDbType.Jsonb) { Value = RunFilesJson.Write(run.Files) });
        RunColumns.AddCommonParameters(command, run);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = RunColumns.Select + " ORDER BY started_at DESC, id DESC LIMIT @count";
        command.Parameters.AddWithValue("@count", count);
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = RunColumns.Select + " WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        IReadOnlyList<RunRecord> runs = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>Closes the pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _migrationGate.Dispose();
    }

    /// <summary>The schema version of the database (0 when none), migrating it first.</summary>
    internal async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlCommand command = connection.CreateCommand();
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(RunColumns.Read(reader, reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return runs;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!_migrated)
            {
                await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw new HistoryException($"Could not open the PostgreSQL run history: {ex.Message}", ex);
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

    private async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated)
            {
                return;
            }

            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var lockCommand = new NpgsqlCommand(PostgresMigrations.Lock, connection, transaction);
                await using (lockCommand.ConfigureAwait(false))
                {
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await MigrationRunner.MigrateAsync(connection, transaction, PostgresMigrations.CreateVersionTable, _migrations, cancellationToken).ConfigureAwait(false);
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
