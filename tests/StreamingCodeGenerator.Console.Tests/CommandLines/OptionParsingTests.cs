using System.CommandLine;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary>
/// The programs' commands parsed in the test (the same commands their processes run): the table covers every option,
/// and every numeric option refuses every odd spelling of a number, and every option that takes a value refuses none.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class OptionParsingTests
{
    [TestCaseSource(typeof(CliProgram), nameof(CliProgram.All))]
    public void Command_EveryOption_HasAnEntryInTheTable(CliProgram program)
    {
        IReadOnlyList<Option> options = program.UserOptions();

        options.Where(option => !OptionTable.TryGetKind(program, option, out _)).Select(option => option.Name)
            .Should().BeEmpty("every option of {0} needs its line in OptionTable, so its bad values are tested", program.Name);
        OptionTable.Keys.Where(key => key.StartsWith(program.Name + " ", StringComparison.Ordinal))
            .Should().BeEquivalentTo(options.Select(option => OptionTable.Key(program, option)), "the table lists no option {0} does not have", program.Name);
    }

    private static IEnumerable<TestCaseData> OddNumbers()
    {
        foreach (CliProgram program in CliProgram.All)
        {
            foreach (Option option in program.UserOptions())
            {
                if (OptionTable.TryGetKind(program, option, out OptionKind kind) && OptionTable.IsNumeric(kind))
                {
                    foreach (string value in OptionTable.OddNumbers)
                    {
                        yield return new TestCaseData(program, option.Name, value).SetName($"{program.Name} {option.Name} '{value}'");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(OddNumbers))]
    public void Parse_OddNumber_IsOneErrorNamingTheOption(CliProgram program, string option, string value)
    {
        ParseResult parse = program.CreateCommand().Parse([.. program.ArgumentsWith(option, option, value)]);

        parse.Errors.Select(error => error.Message).Should().ContainSingle()
            .Which.Should().StartWith(option + " must be a ").And.NotContain("\n");
    }

    private static IEnumerable<TestCaseData> ValueOptions()
    {
        foreach (CliProgram program in CliProgram.All)
        {
            foreach (Option option in program.UserOptions().Where(OptionTable.TakesValue))
            {
                yield return new TestCaseData(program, option.Name).SetName($"{program.Name} {option.Name} (no value)");
            }
        }
    }

    [TestCaseSource(nameof(ValueOptions))]
    public void Parse_MissingValue_NamesTheOption(CliProgram program, string option)
    {
        ParseResult parse = program.CreateCommand().Parse([.. program.ArgumentsWith(option, option)]);

        parse.Errors.Select(error => error.Message).Should().Contain(message => message.Contains(option, StringComparison.Ordinal));
    }

    [TestCase("scg", "--timeout", "0.001")]
    [TestCase("scg", "--timeout", "86400")]
    [TestCase("scg", "--timeout", ".5")]
    [TestCase("scg", "--max-tokens", "1")]
    [TestCase("scg", "--max-tokens", "2147483647")]
    [TestCase("scg", "--temperature", "0")]
    [TestCase("scg", "--temperature", "2")]
    [TestCase("scg", "--temperature", "2.000")]
    [TestCase("scg-transform", "--reflect", "0")]
    [TestCase("scg-transform", "--reflect", "10")]
    [TestCase("scg-transform", "--max-prompt-tokens", "1")]
    [TestCase("scg-api-client", "--timeout", "0.1")]
    public void Parse_BoundaryValue_IsAccepted(string name, string option, string value)
    {
        CliProgram program = CliProgram.All.Single(program => program.Name == name);

        ParseResult parse = program.CreateCommand().Parse([.. program.ArgumentsWith(option, option, value)]);

        parse.Errors.Should().BeEmpty();
    }

    [TestCase("scg", "--timeout", "86400.001")]
    [TestCase("scg", "--timeout", "0.0009")]
    [TestCase("scg", "--max-tokens", "0")]
    [TestCase("scg", "--max-tokens", "2147483648")]
    [TestCase("scg", "--temperature", "2.001")]
    [TestCase("scg-transform", "--reflect", "11")]
    [TestCase("scg-transform", "--max-prompt-tokens", "0")]
    [TestCase("scg-api-client", "--timeout", "0")]
    public void Parse_JustOutOfRange_IsRefused(string name, string option, string value)
    {
        CliProgram program = CliProgram.All.Single(program => program.Name == name);

        ParseResult parse = program.CreateCommand().Parse([.. program.ArgumentsWith(option, option, value)]);

        parse.Errors.Select(error => error.Message).Should().ContainSingle().Which.Should().StartWith(option + " must be a ").And.EndWith($", not '{value}'.");
    }

    [Test]
    public void Parse_OptionsNotGiven_KeepTheirDefaults()
    {
        ParseResult parse = CliProgram.Transform.CreateCommand().Parse(["--repo", ".", "--prompt", "x"]);

        parse.Errors.Should().BeEmpty();
        parse.GetValue<int>("--reflect").Should().Be(1);
        parse.GetValue<int>("--max-prompt-tokens").Should().Be(32_000);
        parse.GetValue<TimeSpan?>("--timeout").Should().BeNull();
    }
}
