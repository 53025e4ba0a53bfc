using Microsoft.Data.Sqlite;
using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.History;

[Parallelizable(ParallelScope.All)]
public sealed class SqliteRunHistoryTests
{
    [Test]
    public async Task AddAsync_NewFileInNewFolders_CreatesTheSchemaAndStoresEveryField()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("deep", "er", "history.db");
        await using var history = new SqliteRunHistory(path);
        RunRecord run = HistoryRuns.Sample("first");

        long id = await history.AddAsync(run);

        File.Exists(path).Should().BeTrue();
        (await history.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(SqliteMigrations.All[^1].Version);
        RunRecord stored = (await history.GetAsync(id))!;
        stored.Should().BeEquivalentTo(run, options => options.Excluding(r => r.Id));
        stored.Id.Should().Be(id);
    }

    [Test]
    public async Task ListRecentAsync_ManyRuns_ReturnsTheNewestFirst()
    {
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Combine("h.db"));
        foreach (string prompt in new[] { "one", "two", "three" })
        {
            await history.AddAsync(HistoryRuns.Sample(prompt));
        }

        IReadOnlyList<RunRecord> runs = await history.ListRecentAsync(2);

        runs.Select(r => r.Prompt).Should().Equal("three", "two");
        (await history.GetAsync(999)).Should().BeNull();
    }

    [Test]
    public async Task AddAsync_SecondInstanceOnTheSameFile_SeesTheFirstsRunsWithoutMigratingTwice()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("h.db");
        await using (var first = new SqliteRunHistory(path))
        {
            await first.AddAsync(HistoryRuns.Sample("from the first"));
        }

        await using var second = new SqliteRunHistory(path);
        await second.AddAsync(HistoryRuns.Sample("from the second"));

        (await second.ListRecentAsync(10)).Select(r => r.Prompt).Should().Equal("from the second", "from the first");
        (await CountAsync(path, "SELECT COUNT(*) FROM schema_version")).Should().Be(SqliteMigrations.All.Count);
    }

    [Test]
    public async Task Migrate_DatabaseAtAnOlderVersion_AppliesOnlyTheNewerScriptsInOrder()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("h.db");
        await using (var old = new SqliteRunHistory(path))
        {
            await old.AddAsync(HistoryRuns.Sample("before the upgrade"));
        }

        Migration[] upgraded =
        [
            .. SqliteMigrations.All,
            new(SqliteMigrations.All.Count + 1, "labels", "CREATE TABLE labels (run_id INTEGER NOT NULL, label TEXT NOT NULL);"),
            new(SqliteMigrations.All.Count + 2, "a label", "INSERT INTO labels (run_id, label) SELECT id, 'migrated' FROM runs;"),
        ];
        await using var history = new SqliteRunHistory(path, upgraded);

        (await history.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(SqliteMigrations.All.Count + 2);
        (await CountAsync(path, "SELECT COUNT(*) FROM labels WHERE label = 'migrated'")).Should().Be(1, "the scripts ran in order, on the existing data");
        (await history.ListRecentAsync(10)).Select(r => r.Prompt).Should().Equal("before the upgrade");
    }

    [Test]
    public async Task Migrate_RunStoredBeforeTheChecksColumn_ReadsWithNoChecksAndNewRunsStoreThem()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("h.db");
        await using (var first = new SqliteRunHistory(path, [SqliteMigrations.All[0]]))
        {
            (await first.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(1);
        }

        await ExecuteAsync(path, "INSERT INTO runs (started_at, repository, commit_sha, prompt, model, diff, files, prompt_tokens, completion_tokens, duration_ms, rounds, verdict, outcome, error) " +
            "VALUES ('2026-01-02T03:04:05.0000000Z', '/repo', NULL, 'from version 1', 'gpt-4o-mini', '', '[]', 1, 2, 3, 1, 'NotReviewed', 'Succeeded', NULL)");
        await using var history = new SqliteRunHistory(path);

        long id = await history.AddAsync(HistoryRuns.Sample("with checks"));

        (await history.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(2);
        IReadOnlyList<RunRecord> runs = await history.ListRecentAsync(10);
        runs.Select(r => r.Prompt).Should().Equal("with checks", "from version 1");
        runs[1].Checks.Should().BeEmpty();
        (await history.GetAsync(id))!.Checks.Should().Equal(HistoryRuns.Sample("x").Checks);
    }

    [Test]
    public async Task EnsureWritableAsync_Folder_IsRefusedNamingIt()
    {
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Path);

        Func<Task> check = () => history.EnsureWritableAsync();

        (await check.Should().ThrowAsync<HistoryException>()).Which.Message.Should().Contain("is a folder").And.Contain(folder.Path);
    }

    [Test]
    public async Task EnsureWritableAsync_NewFile_CreatesAndMigratesIt()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("new", "h.db");
        await using var history = new SqliteRunHistory(path);

        await history.EnsureWritableAsync();

        File.Exists(path).Should().BeTrue();
        (await CountAsync(path, "SELECT COUNT(*) FROM schema_version")).Should().Be(SqliteMigrations.All.Count);
    }

    [Test]
    public async Task Migrate_FailingScript_RollsBackTheWholeUpgrade()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("h.db");
        Migration[] broken =
        [
            .. SqliteMigrations.All,
            new(SqliteMigrations.All.Count + 1, "good", "CREATE TABLE good (x INTEGER);"),
            new(SqliteMigrations.All.Count + 2, "bad", "THIS IS NOT SQL;"),
        ];
        await using var history = new SqliteRunHistory(path, broken);

        Func<Task> add = () => history.AddAsync(HistoryRuns.Sample("x"));

        await add.Should().ThrowAsync<HistoryException>();
        (await CountAsync(path, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('good', 'runs', 'schema_version')")).Should().Be(0);
    }

    [Test]
    public async Task Migrate_DatabaseNewerThanTheTool_IsRefused()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("h.db");
        await using (var newer = new SqliteRunHistory(path, [.. SqliteMigrations.All, new(99, "future", "CREATE TABLE future (x INTEGER);")]))
        {
            await newer.AddAsync(HistoryRuns.Sample("x"));
        }

        await using var history = new SqliteRunHistory(path);
        Func<Task> list = () => history.ListRecentAsync(1);

        (await list.Should().ThrowAsync<HistoryException>()).Which.Message.Should().Contain("schema version 99");
    }

    [Test]
    public void Open_NoLocation_UsesTheDefaultFileInTheUsersDataFolder()
    {
        string expected = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "StreamingCodeGenerator", "history.db");

        RunHistory.DefaultSqlitePath.Should().Be(expected);
        RunHistory.Open(null).Should().BeOfType<SqliteRunHistory>().Which.FilePath.Should().Be(expected);
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
