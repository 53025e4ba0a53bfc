using System.CommandLine;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

namespace StreamingCodeGeneration.Samples.Console.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class UnknownOptionTests
{
    [TestCase("tset", "test", 1)]
    [TestCase("lenguage", "language", 1)]
    [TestCase("jsn", "json", 1)]
    [TestCase("json", "json", 0)]
    [TestCase("", "abc", 3)]
    [TestCase("abc", "", 3)]
    [TestCase("kitten", "sitting", 3)]
    [TestCase("ca", "abc", 3)]
    [TestCase("verison", "version", 1)]
    public void Distance_TwoWords_CountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int edits)
    {
        UnknownOption.Distance(a, b).Should().Be(edits);
        UnknownOption.Distance(b, a).Should().Be(edits);
    }

    [TestCase("--lenguage", "--language")]
    [TestCase("--LANGUAGE", "--language")]
    [TestCase("-language", "--language")]
    [TestCase("--jsn", "--json")]
    [TestCase("--lang", "--language")]
    [TestCase("--verison", "--version")]
    public void Suggest_NearMiss_NamesTheOption(string word, string option)
    {
        UnknownOption.Suggest(word, ["--language", "-l", "--json", "--quiet", "-q", "--version", "--help", "-h"]).Should().Equal(option);
    }

    [TestCase("-x")]
    [TestCase("--xy")]
    [TestCase("--frobnicate")]
    [TestCase("--la")]
    public void Suggest_NothingNear_IsEmpty(string word)
    {
        UnknownOption.Suggest(word, ["--language", "-l", "--json", "--quiet", "-q"]).Should().BeEmpty();
    }

    [Test]
    public void Suggest_SeveralEquallyNear_NamesEachInTheirOrder()
    {
        UnknownOption.Suggest("--max-token", ["--max-tokens", "--max-tokenz", "--model"]).Should().Equal("--max-tokens", "--max-tokenz");
    }

    [TestCase("--lenguage", "--lenguage")]
    [TestCase("--lenguage=go", "--lenguage")]
    [TestCase("--lenguage:go", "--lenguage")]
    [TestCase("-x", "-x")]
    [TestCase("-", null)]
    [TestCase("--", null)]
    [TestCase("-5", null)]
    [TestCase("---x", null)]
    [TestCase("-be terse", null)]
    [TestCase("write -x", null)]
    public void OptionName_Word_IsTheNameWhenWrittenLikeAnOption(string word, string? name)
    {
        UnknownOption.OptionName(word).Should().Be(name);
    }

    private static IEnumerable<TestCaseData> MisspelledOptions()
    {
        foreach (CliProgram program in CliProgram.All)
        {
            foreach (Option option in program.CreateCommand().Options)
            {
                foreach (string name in (IEnumerable<string>)[option.Name, .. option.Aliases])
                {
                    if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 6)
                    {
                        continue;
                    }

                    // Two neighbouring letters swapped, and one letter left out, in the middle of the name.
                    int middle = name.Length / 2;
                    string swapped = name[..middle] + name[middle + 1] + name[middle] + name[(middle + 2)..];
                    string shortened = name.Remove(middle, 1);
                    foreach (string typo in new[] { swapped, shortened }.Distinct().Where(typo => typo != name))
                    {
                        yield return new TestCaseData(program, typo, name).SetName($"{program.Name} {typo} suggests {name}");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(MisspelledOptions))]
    public void Describe_EveryOptionMisspelled_SuggestsIt(CliProgram program, string typo, string option)
    {
        ParseResult parse = program.CreateCommand().Parse([.. program.ArgumentsWith(typo), typo, "value"]);

        string? message = UnknownOption.Describe(parse);

        message.Should().StartWith($"Unknown option '{typo}'. Did you mean ").And.Contain($"'{option}'").And.EndWith("?");
    }

    [Test]
    public void Describe_ValueOfAnOption_IsNotAnUnknownOption()
    {
        ParseResult parse = ScgCommand.CreateRootCommand().Parse(["--system", "-be-terse", "x"]);

        UnknownOption.Describe(parse).Should().BeNull();
    }

    [Test]
    public void Describe_AfterDoubleDash_IsThePromptNotAnOption()
    {
        ParseResult parse = ScgCommand.CreateRootCommand().Parse(["--json", "--", "--lenguage"]);

        UnknownOption.Describe(parse).Should().BeNull();
        parse.Errors.Should().BeEmpty();
    }

    [Test]
    public void Describe_KnownOptionsOnly_IsNull()
    {
        ParseResult parse = ScgCommand.CreateRootCommand().Parse(["--language", "go", "-q", "x"]);

        UnknownOption.Describe(parse).Should().BeNull();
    }

    [Test]
    public void Describe_NothingNearForACommandWithAPrompt_SaysWhereAPromptStartingWithADashGoes()
    {
        ParseResult parse = ScgCommand.CreateRootCommand().Parse(["--frobnicate"]);

        UnknownOption.Describe(parse).Should().Be("Unknown option '--frobnicate' (a prompt that starts with '-' goes after '--').");
    }
}
