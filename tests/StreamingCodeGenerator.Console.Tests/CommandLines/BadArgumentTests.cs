using System.CommandLine;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary>
/// Every option of scg, scg-transform and scg-api-client, fed values it must refuse, each program run as a process: exit
/// code 2, exactly one line on standard error naming the option and what it takes, no stack trace, nothing on standard
/// output. The options come from the programs' own commands; <see cref="OptionTable"/> says what each takes.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BadArgumentTests
{
    private static IEnumerable<TestCaseData> RefusedArguments()
    {
        foreach (CliProgram program in CliProgram.All)
        {
            foreach (Option option in program.UserOptions())
            {
                if (!OptionTable.TryGetKind(program, option, out OptionKind kind))
                {
                    // Fails below: a new option needs its line in OptionTable.
                    yield return new TestCaseData(program, option.Name, null, null).SetName($"{program.Name} {option.Name} (no entry in OptionTable)");
                    continue;
                }

                string accepts = Accepts(kind);
                if (kind == OptionKind.Switch)
                {
                    yield return Case(program, option.Name, accepts, $"{option.Name}=maybe");
                }
                else if (!OptionTable.IsNumeric(kind))
                {
                    // The value left out: the option is the last word.
                    yield return Case(program, option.Name, "Required argument missing", option.Name);
                }

                foreach (string value in OptionTable.RefusedValues(kind))
                {
                    yield return Case(program, option.Name, accepts, option.Name, value);
                }
            }
        }
    }

    [TestCaseSource(nameof(RefusedArguments))]
    public async Task Run_RefusedValue_ExitsWithTwoAndOneLineNamingTheOption(CliProgram program, string option, string? accepts, string[]? tail)
    {
        if (accepts is null || tail is null)
        {
            Assert.Fail($"{program.Name} has an option {option} that OptionTable does not list: add what it takes, so its bad values are tested.");
            return;
        }

        using var home = new TempDirectory();

        ScgProcess.Result run = await program.RunAsync(program.ArgumentsWith(option, tail), ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        string line = run.Error.TrimEnd('\n').Split('\n').Should().ContainSingle("one line per bad argument, no stack trace: {0}", run.Error).Subject;
        line.Should().StartWith(program.Name + ": ").And.Contain(option).And.Contain(accepts);
        run.Error.Should().NotContain("   at ").And.NotContain("Exception");
        run.Output.Should().BeEmpty();
    }

    private static IEnumerable<TestCaseData> FractionalOptions()
    {
        foreach (CliProgram program in CliProgram.All)
        {
            foreach (Option option in program.UserOptions())
            {
                if (OptionTable.TryGetKind(program, option, out OptionKind kind) && OptionTable.AcceptedFraction(kind) is { } value)
                {
                    yield return new TestCaseData(program, option.Name, kind, value).SetName($"{program.Name} {option.Name} {value}");
                }
            }
        }
    }

    [TestCaseSource(nameof(FractionalOptions))]
    public async Task Run_Fraction_IsAcceptedAndUsed(CliProgram program, string option, OptionKind kind, string value)
    {
        using var home = new TempDirectory();
        string repository = home.Combine("repo");
        Directory.CreateDirectory(repository);
        File.WriteAllText(Path.Combine(repository, "app.py"), "print('hi')\n");
        // Seconds: a server that starts an answer and never finishes it, so the fraction is what ends the run.
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(kind == OptionKind.Seconds
            ? new SseScript().Role().Content("slow start").Stall()
            : Respond.Answer("No change needed.\n"));
        string[] arguments = program.Name switch
        {
            "scg" => ["x", "--endpoint", server.Endpoint.AbsoluteUri],
            "scg-transform" => ["--repo", repository, "--prompt", "x", "--history", home.Combine("history.db"), "--endpoint", server.Endpoint.AbsoluteUri],
            _ => ["--base-url", server.BaseAddress.AbsoluteUri, "--test", "timeout"],
        };

        ScgProcess.Result run = await program.RunAsync([.. arguments, option, value], ScgProcess.Environment(home.Path), home.Path);

        if (kind == OptionKind.Seconds)
        {
            // Half a second may pass before the request is even sent (a cold process): the message shows the time used.
            run.ExitCode.Should().Be(5, run.Error);
            run.Error.Should().Contain(program == CliProgram.ApiClient ? "after 0.5 seconds" : "longer than 500 ms");
        }
        else
        {
            run.ExitCode.Should().Be(0, run.Error);
            server.RequestCount.Should().BeGreaterThan(0);
            server.Requests[0].Json.GetProperty("temperature").GetDouble().Should().BeApproximately(0.7, 1e-6);
        }
    }

    private static string Accepts(OptionKind kind) => kind switch
    {
        OptionKind.Switch => "is a switch and takes no value",
        OptionKind.Text => "Required argument missing",
        OptionKind.RequiredText => "are required",
        OptionKind.WholeNumber => "must be a whole number from ",
        OptionKind.Seconds => "must be a number of seconds from ",
        OptionKind.Temperature => "must be a number from 0 to 2",
        OptionKind.Choice => "must be ",
        OptionKind.Url => "must be an ",
        OptionKind.Folder => "needs a folder",
        OptionKind.File => "needs a file path",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static TestCaseData Case(CliProgram program, string option, string accepts, params string[] tail) =>
        new TestCaseData(program, option, accepts, tail).SetName($"{program.Name} {string.Join(' ', tail.Select(word => word.Length == 0 ? "''" : word))}");
}
