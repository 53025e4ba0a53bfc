using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks.Tests;

/// <summary>
/// <c>compare --smoke</c> as CI runs it: every row tiny, every correctness check made (exact texts, token counts equal
/// to tiktoken's, every web stream exact), so the benchmark harness cannot rot between full runs. Figures are not
/// asserted: they mean nothing at these sizes on a shared machine.
/// </summary>
[TestFixture]
public sealed class CompareSmokeTests
{
    private static readonly string[] s_outcomes = ["measured", "partial", "skipped"];

    [Test]
    [CancelAfter(300_000)]
    public async Task CompareSmoke_EveryRow_RunsAndPassesItsChecks()
    {
        string output = Path.Combine(Path.GetTempPath(), "scg-compare-smoke-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int exitCode, string log) = await RunAsync(["compare", "--smoke", "--out", output]);

            Assert.That(exitCode, Is.Zero, log);
            Assert.That(File.ReadAllText(Path.Combine(output, "smoke.md")), Does.Contain("| # | Measure | Ours | Peer, same run | Ours vs peer | Aim |"));
            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "smoke.json")));
            JsonElement root = report.RootElement;
            Assert.That(root.GetProperty("passed").GetBoolean(), Is.True, log);
            Assert.That(root.GetProperty("machine").GetProperty("cores").GetInt32(), Is.Positive);
            Dictionary<int, string> outcomes = root.GetProperty("rows").EnumerateArray()
                .ToDictionary(r => r.GetProperty("number").GetInt32(), r => r.GetProperty("outcome").GetString()!);
            Assert.That(outcomes.Keys, Is.EquivalentTo(new[] { 1, 2, 3, 4, 5, 6 }), log);
            Assert.That(outcomes.Values, Is.All.AnyOf(s_outcomes), log);
            // These rows need nothing but .NET: they must have measured both sides.
            Assert.That(new[] { outcomes[1], outcomes[2], outcomes[4] }, Is.All.EqualTo("measured"), log);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string[] arguments)
    {
        string program = BenchmarkProgram();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(program)!,
        };
        start.ArgumentList.Add(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(TestContext.CurrentContext.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (log)
            {
                Assert.Fail("compare --smoke did not finish in time; what it printed so far:\n" + log);
            }
        }

        process.WaitForExit();
        lock (log)
        {
            return (process.ExitCode, log.ToString());
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    /// <summary>The benchmark program built in this test's configuration (the project reference builds it first).</summary>
    private static string BenchmarkProgram()
    {
        string program = RepositoryLayout.BuiltAssembly(Path.Combine("benchmarks", "StreamingCodeGenerator.Benchmarks"), "StreamingCodeGenerator.Benchmarks.dll");
        return File.Exists(program) ? program : throw new FileNotFoundException($"Build the benchmarks first: {program} is missing.");
    }
}
