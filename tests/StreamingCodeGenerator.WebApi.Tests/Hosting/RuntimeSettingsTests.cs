using System.Text.Json;

namespace StreamingCodeGeneration.WebApi.Tests.Hosting;

/// <summary>
/// The garbage collector settings the service's memory figures depend on (README, "Memory") are in the runtime
/// configuration it is built with, so that <c>dotnet StreamingCodeGenerator.WebApi.dll</c> runs with them without any
/// environment variable: workstation, non-concurrent GC, a 6 MiB gen0 budget, compaction of a fragmented gen2
/// (<c>ConserveMemory</c>), and no profile-guided re-compilation.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RuntimeSettingsTests
{
    [Test]
    public void BuiltRuntimeConfiguration_HoldsTheMemorySettings()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "StreamingCodeGenerator.WebApi.runtimeconfig.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        properties.GetProperty("System.GC.Server").GetBoolean().Should().BeFalse();
        properties.GetProperty("System.GC.Concurrent").GetBoolean().Should().BeFalse();
        properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64().Should().Be(6 * 1024 * 1024);
        properties.GetProperty("System.GC.ConserveMemory").GetInt32().Should().Be(7);
        properties.GetProperty("System.Runtime.TieredPGO").GetBoolean().Should().BeFalse();
    }
}
