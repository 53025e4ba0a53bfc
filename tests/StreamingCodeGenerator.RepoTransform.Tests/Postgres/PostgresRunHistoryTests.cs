using Npgsql;
using StreamingCodeGeneration.RepoTransform.Tests.History;
using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Postgres;

/// <summary>The PostgreSQL history against a real server (each test in its own database).</summary>
[Parallelizable(ParallelScope.All)]
public sealed class PostgresRunHistoryTests
{
    [Test]
    public async Task AddAsync_NewDatabase_CreatesTheSchemaAndStoresEveryField()
    {
        string connection = await PostgresSetUp.Server.CreateDatabaseAsync();
        await using var history = new PostgresRunHistory(connection);
        RunRecord run = HistoryRuns.Sample("first");

        long id = await history.AddAsync(run);

        (await history.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(PostgresMigrations.All[^1].Version);
        RunRecord stored = (await history.GetAsync(id))!;
        stored.Should().BeEquivalentTo(run, options => options
            .Excluding(r => r.Id)
            .Excluding(r => r.StartedAt));
        stored.StartedAt.Should().Be(run.StartedAt.AddTicks(-(run.StartedAt.Ticks % 10)), "timestamptz keeps microseconds");
        (await ScalarAsync(connection, "SELECT files->1->>'path' FROM runs")).Should().Be("new dir/b.txt", "files is queryable JSONB");
    }

    [Test]
    public async Task ListRecentAsync_ManyRuns_ReturnsTheNewestFirst()
    {
        await using var history = new PostgresRunHistory(await PostgresSetUp.Server.CreateDatabaseAsync());
        for (int i = 0; i < 3; i++)
        {
            RunRecord run = HistoryRuns.Sample($"run {i}");
            await history.AddAsync(new RunRecord
            {
                StartedAt = run.StartedAt.AddMinutes(i),
                Repository = run.Repository,
                Prompt = run.Prompt,
                Model = run.Model,
                Diff = run.Diff,
                Files = run.Files,
            });
        }

        (await history.ListRecentAsync(2)).Select(r => r.Prompt).Should().Equal("run 2", "run 1");
        (await history.GetAsync(12345)).Should().BeNull();
    }

    [Test]
    public async Task AddAsync_UrlConnectionString_Works()
    {
        var builder = new NpgsqlConnectionStringBuilder(await PostgresSetUp.Server.CreateDatabaseAsync());
        string url = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        RunHistory.IsPostgres(url).Should().BeTrue();
        await using IRunHistory history = RunHistory.Open(url);

        await history.AddAsync(HistoryRuns.Sample("by url"));

        history.Should().BeOfType<PostgresRunHistory>();
        (await history.ListRecentAsync(1)).Single().Prompt.Should().Be("by url");
    }

    [Test]
    public async Task AddAsync_InstancesStartingTogether_MigrateOnceAndShareTheRuns()
    {
        string connection = await PostgresSetUp.Server.CreateDatabaseAsync();
        PostgresRunHistory[] instances = Enumerable.Range(0, 4).Select(_ => new PostgresRunHistory(connection)).ToArray();
        try
        {
            await Task.WhenAll(instances.Select((history, i) => history.AddAsync(HistoryRuns.Sample($"instance {i}"))));

            (await instances[0].ListRecentAsync(10)).Should().HaveCount(4);
            (await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version")).Should().Be(PostgresMigrations.All.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            foreach (PostgresRunHistory history in instances)
            {
                await history.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Migrate_DatabaseAtAnOlderVersion_AppliesOnlyTheNewerScripts()
    {
        string connection = await PostgresSetUp.Server.CreateDatabaseAsync();
        await using (var old = new PostgresRunHistory(connection))
        {
            await old.AddAsync(HistoryRuns.Sample("old"));
        }

        int next = PostgresMigrations.All.Count + 1;
        await using var history = new PostgresRunHistory(connection, [.. PostgresMigrations.All, new(next, "labels", "CREATE TABLE labels (run_id BIGINT NOT NULL REFERENCES runs (id));")]);

        (await history.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(next);
        (await history.ListRecentAsync(5)).Select(r => r.Prompt).Should().Equal("old");
    }

    [Test]
    public async Task Migrate_RunStoredBeforeTheChecksColumn_ReadsWithNoChecksAndNewRunsStoreThem()
    {
        string connection = await PostgresSetUp.Server.CreateDatabaseAsync();
        await using (var first = new PostgresRunHistory(connection, [PostgresMigrations.All[0]]))
        {
            (await first.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(1);
        }

        await ScalarAsync(connection, "INSERT INTO runs (started_at, repository, commit_sha, prompt, model, diff, files, prompt_tokens, completion_tokens, duration_ms, rounds, verdict, outcome, error) " +
            "VALUES ('2020-01-02T03:04:05Z', '/repo', NULL, 'from version 1', 'gpt-4o-mini', '', '[]', 1, 2, 3, 1, 'NotReviewed', 'Succeeded', NULL)");
        await using var history = new PostgresRunHistory(connection);

        long id = await history.AddAsync(HistoryRuns.Sample("with checks"));

        (await history.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(2);
        IReadOnlyList<RunRecord> runs = await history.ListRecentAsync(10);
        runs.Select(r => r.Prompt).Should().Equal("with checks", "from version 1");
        runs[1].Checks.Should().BeEmpty();
        (await history.GetAsync(id))!.Checks.Should().Equal(HistoryRuns.Sample("x").Checks);
        (await ScalarAsync(connection, $"SELECT checks->1->>'timed_out' FROM runs WHERE id = {id}")).Should().Be("true", "checks is queryable JSONB");
    }

    [Test]
    public async Task RunAsync_PostgresHistory_StoresTheRun()
    {
        string connection = await PostgresSetUp.Server.CreateDatabaseAsync();
        await using IRunHistory history = RunHistory.Open(connection);
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["a.txt"] = "a\n" });
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("a.txt", "b\n"))),
            Respond.Answer(Answers.Confident));

        TransformResult result = await TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "a to b"));

        RunRecord stored = (await history.ListRecentAsync(1)).Single();
        stored.Id.Should().Be(result.RunId);
        stored.Diff.Should().Be(result.Diff);
        stored.Verdict.Should().Be(ReviewVerdict.Confident);
        stored.Outcome.Should().Be(TransformOutcome.Succeeded);
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
