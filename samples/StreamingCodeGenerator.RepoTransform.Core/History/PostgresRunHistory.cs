using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Runs stored in PostgreSQL (Npgsql): the database kind TinyGen used (Supabase), and what several instances of the
/// web service share. The schema is migrated on first use under an advisory lock, so instances starting together
/// migrate it once.
/// </summary>
public sealed class PostgresRunHistory : DbRunHistory
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a history over a PostgreSQL database.</summary>
    /// <param name="connectionString">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql <c>Host=…;Database=…</c> string.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or white space.</exception>
    /// <exception cref="HistoryException">The connection string is not valid.</exception>
    public PostgresRunHistory(string connectionString)
        : this(connectionString, PostgresMigrations.All)
    {
    }

    internal PostgresRunHistory(string connectionString, IReadOnlyList<Migration> migrations)
        : base(migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionString.ToNpgsql(connectionString));
    }

    private protected override string Description => "the PostgreSQL run history";

    private protected override string NewestFirst => "started_at DESC, id DESC";

    private protected override string CreateVersionTable => PostgresMigrations.CreateVersionTable;

    private protected override DbConnection CreateConnection() => _dataSource.CreateConnection();

    private protected override async Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DbCommand lockCommand = MigrationRunner.Command(connection, transaction, PostgresMigrations.Lock);
            await using (lockCommand.ConfigureAwait(false))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override void AddStartedAtAndFiles(DbCommand command, RunRecord run)
    {
        command.Parameters.Add(new NpgsqlParameter("@started_at", NpgsqlDbType.TimestampTz) { Value = run.StartedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("@files", NpgsqlDbType.Jsonb) { Value = RunFilesJson.Write(run.Files) });
        command.Parameters.Add(new NpgsqlParameter("@checks", NpgsqlDbType.Jsonb) { Value = RunChecksJson.Write(run.Checks) });
    }

    private protected override DateTimeOffset ReadStartedAt(DbDataReader reader) => reader.GetFieldValue<DateTimeOffset>(1);

    private protected override ValueTask DisposeCoreAsync() => _dataSource.DisposeAsync();
}
