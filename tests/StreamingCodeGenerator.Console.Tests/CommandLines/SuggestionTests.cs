using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary>
/// A mistyped option, each program run as a process: one line naming the nearest option (as <c>git</c> and <c>dotnet</c>
/// do), exit code 2, nothing on standard output. Every option's misspellings are checked in-process by
/// <see cref="Shared.UnknownOptionTests"/>.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SuggestionTests
{
    private static IEnumerable<TestCaseData> Typos()
    {
        yield return new TestCaseData(CliProgram.Scg, new[] { "--lenguage", "go", "x" }, "Unknown option '--lenguage'. Did you mean '--language'?").SetName("scg --lenguage go");
        yield return new TestCaseData(CliProgram.Scg, new[] { "x", "--jsn" }, "Unknown option '--jsn'. Did you mean '--json'?").SetName("scg --jsn");
        yield return new TestCaseData(CliProgram.Transform, new[] { "--repo", ".", "--prompt", "x", "--reflcet", "2" }, "Unknown option '--reflcet'. Did you mean '--reflect'?")
            .SetName("scg-transform --reflcet 2");
        yield return new TestCaseData(CliProgram.ApiClient, new[] { "--tset", "normal" }, "Unknown option '--tset'. Did you mean '--test'?").SetName("scg-api-client --tset normal");
        yield return new TestCaseData(CliProgram.ApiClient, new[] { "--base-url=http://localhost:5000", "--verison" }, "Unknown option '--verison'. Did you mean '--version'?")
            .SetName("scg-api-client --verison");
    }

    [TestCaseSource(nameof(Typos))]
    public async Task Run_MistypedOption_OneLineSuggestingTheNearestOption(CliProgram program, string[] arguments, string message)
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await program.RunAsync(arguments, ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Be($"{program.Name}: {message} Run '{program.Name} --help' for usage.\n");
        run.Output.Should().BeEmpty();
    }

    [Test]
    public async Task Scg_UnknownOptionWithNothingNear_SaysWhereAPromptStartingWithADashGoes()
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["--frobnicate"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Be("scg: Unknown option '--frobnicate' (a prompt that starts with '-' goes after '--'). Run 'scg --help' for usage.\n");
    }
}
