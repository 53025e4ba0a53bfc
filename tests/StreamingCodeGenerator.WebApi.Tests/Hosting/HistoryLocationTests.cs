using Microsoft.Extensions.DependencyInjection;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Hosting;

/// <summary>Where the service keeps its run history when <c>WebApi:Runs:History</c> is not set: a file of its own, not scg-transform's.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class HistoryLocationTests
{
    [Test]
    public async Task History_NotConfigured_IsTheServicesOwnFileInTheUsersDataFolder()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null, new Dictionary<string, string?> { ["WebApi:Runs:History"] = null });

        // Resolving opens nothing: no file is created in the real data folder.
        string path = service.Services.GetRequiredService<IRunHistory>().Should().BeOfType<SqliteRunHistory>().Which.FilePath;

        path.Should().Be(RunHistory.DataFolderPath(RunSettings.DefaultHistoryFileName)).And.EndWith(Path.Combine("StreamingCodeGenerator", "webapi-history.db"));
        path.Should().NotBe(RunHistory.DefaultSqlitePath, "scg-transform's default history is another file");
    }
}
