using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Postgres;

/// <summary>
/// Starts one private PostgreSQL server for the fixtures of this namespace and stops it after them. The tests skip
/// only when the binaries are absent; a server that is installed but fails to start fails the tests.
/// </summary>
[SetUpFixture]
public sealed class PostgresSetUp
{
    private static PostgresServer? s_server;
    private static string? s_missing;

    /// <summary>The running server; skips the calling test, with the reason, when PostgreSQL is not installed.</summary>
    public static PostgresServer Server
    {
        get
        {
            if (s_server is null)
            {
                Assert.Ignore(s_missing ?? "PostgreSQL was not started.");
            }

            return s_server!;
        }
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        string? binaries = PostgresServer.FindBinaries(out s_missing);
        if (binaries is not null)
        {
            s_server = await PostgresServer.StartAsync(binaries);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (s_server is not null)
        {
            await s_server.DisposeAsync();
            s_server = null;
        }
    }
}
