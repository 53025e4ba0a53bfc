using System.Runtime.CompilerServices;
using System.Data.Common;
using System.Globalization;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Brings a database to the latest schema: <c>schema_version</c> records each applied script; the missing scripts run
/// in order inside the caller's transaction, which the caller has made exclusive (SQLite's BEGIN IMMEDIATE, a
/// PostgreSQL advisory lock), so concurrent first uses migrate once.
/// </summary>
internal static class MigrationRunner
{
    /// <exception cref="HistoryException">The database is newer than these migrations.</exception>
    public static async Task MigrateAsync(
        DbConnection connection, DbTransaction transaction, string createVersionTable, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, createVersionTable, cancellationToken).ConfigureAwait(false);
        int current;
        DbCommand read = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        await using (read.ConfigureAwait(false))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        int latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > latest)
        {
            throw new HistoryException(
                $"The history database is at schema version {current}, newer than this tool knows ({latest}); use a newer tool or another --history.");
        }

        foreach (Migration migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            DbCommand record = Command(connection, transaction, "INSERT INTO schema_version (version, description) VALUES (@version, @description)");
            await using ConfiguredAsyncDisposable recordScope = record.ConfigureAwait(false);
            AddParameter(record, "@version", migration.Version);
            AddParameter(record, "@description", migration.Description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The SQL is this assembly's own constant text; values travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    public static void AddParameter(DbCommand command, string name, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        DbCommand command = Command(connection, transaction, sql);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
