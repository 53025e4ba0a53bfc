using System.Text;

namespace StreamingCodeGeneration.RepoTransform.Tests.Checks;

[Parallelizable(ParallelScope.All)]
public sealed class CheckOutputTests
{
    private static readonly Tokenizer O200k = Tokenizer.Get(TokenizerEncoding.O200kBase);

    [Test]
    public void Tail_LongOutput_KeepsTheEndWithinTheBudgetFromALineStart()
    {
        var output = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            output.Append("compiling module number ").Append(i).Append(" of the project\n");
        }

        output.Append("error CS1002: ; expected at app.cs(12,5)\n");

        string tail = CheckOutput.Tail(O200k, output.ToString(), 60, out bool trimmed);

        trimmed.Should().BeTrue();
        O200k.CountTokens(tail).Should().BeLessThanOrEqualTo(60).And.BeGreaterThan(40);
        tail.Should().EndWith("error CS1002: ; expected at app.cs(12,5)\n").And.StartWith("compiling module number ");
        output.ToString().Should().EndWith(tail);
    }

    [Test]
    public void Tail_OutputThatFits_IsKeptWhole()
    {
        string tail = CheckOutput.Tail(O200k, "one line\n", 10, out bool trimmed);

        trimmed.Should().BeFalse();
        tail.Should().Be("one line\n");
    }

    [Test]
    public void Tail_OneHugeLine_IsCutInsideIt()
    {
        string output = new string('x', 50_000) + " the end";

        string tail = CheckOutput.Tail(O200k, output, 20, out bool trimmed);

        trimmed.Should().BeTrue();
        O200k.CountTokens(tail).Should().BeLessThanOrEqualTo(20);
        tail.Should().EndWith(" the end");
        tail.Length.Should().BeGreaterThan(" the end".Length);
    }
}
