using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// <c>bdn [filter] [BenchmarkDotNet arguments]</c>: the BenchmarkDotNet suite, one class per stage of SSE event →
/// <see cref="Chunk"/> and one for the whole in-memory path, each reporting per event with allocations, so a regression
/// points at its stage. A first argument that is not an option is a filter: <c>bdn Parser</c> runs <c>*Parser*</c>.
/// </summary>
internal static class SuiteCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        var arguments = new List<string>(args.ToArray());
        if (arguments.Count > 0 && !arguments[0].StartsWith('-'))
        {
            arguments[0] = $"*{arguments[0]}*";
            arguments.Insert(0, "--filter");
        }
        else if (!arguments.Contains("--filter") && !arguments.Contains("--list"))
        {
            arguments.InsertRange(0, ["--filter", "*"]);
        }

        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(SuiteCommand).Assembly).Run([.. arguments], config);
        return 0;
    }
}
