using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Runs stored in a SQLite file (Microsoft.Data.Sqlite): the CLI's default history. The file and its folder are
/// created, and the schema migrated, on first use.
/// </summary>
public sealed class SqliteRunHistory : DbRunHistory
{
    private readonly string _connectionString;

    /// <summary>Creates a history over a SQLite file.</summary>
    /// <param name="path">The database file; created with its folder when missing.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public SqliteRunHistory(string path)
        : this(path, SqliteMigrations.All)
    {
    }

    internal SqliteRunHistory(string path, IReadOnlyList<Migration> migrations)
        : base(migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = System.IO.Path.GetFullPath(path);

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

    private protected override string Description => $"the run history '{FilePath}'";

    // SQLite's ids only grow, and two runs may start in the same tick.
    private protected override string NewestFirst => "id DESC";

    private protected override string CreateVersionTable => SqliteMigrations.CreateVersionTable;

    private protected override DbConnection CreateConnection()
    {
        if (Directory.Exists(FilePath))
        {
            throw new HistoryException($"The run history '{FilePath}' is a folder; pass a file, such as '{System.IO.Path.Combine(FilePath, "history.db")}'.");
        }

        string? folder = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return new SqliteConnection(_connectionString);
    }

    // SQLite opens a file it may not write read-only without a word; a run would then fail only when it is stored.
    private protected override void EnsureWritable(DbConnection connection)
    {
        if (SQLitePCL.raw.sqlite3_db_readonly(((SqliteConnection)connection).Handle, "main") == 1)
        {
            throw new HistoryException($"The run history '{FilePath}' cannot be written (the file or its folder is read-only).");
        }
    }

    // BEGIN IMMEDIATE takes the write lock up front, so two processes opening a new file migrate it once.
    private protected override Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    private protected override void AddStartedAtAndFiles(DbCommand command, RunRecord run)
    {
        MigrationRunner.AddParameter(command, "@started_at", RunColumns.FormatTimestamp(run.StartedAt));
        MigrationRunner.AddParameter(command, "@files", RunFilesJson.Write(run.Files));
        MigrationRunner.AddParameter(command, "@checks", RunChecksJson.Write(run.Checks));
    }

    private protected override DateTimeOffset ReadStartedAt(DbDataReader reader) => RunColumns.ParseTimestamp(reader.GetString(1));
}
