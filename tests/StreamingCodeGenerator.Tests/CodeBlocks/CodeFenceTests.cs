namespace StreamingCodeGeneration.Tests.CodeBlocks;

/// <summary>The public opening fence: checked arguments, its normalized line, and the fence that encloses any text.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeFenceTests
{
    [TestCase("plain\ntext\n", "```")]
    [TestCase("```bash\nls\n```\n", "````")]
    [TestCase("   ````\nindented up to three\n", "`````")]
    [TestCase("    ```\nfour spaces is code, not a fence\n", "```")]
    [TestCase("text ``` inside a line\n", "```")]
    [TestCase("a\r```\rb", "````")]
    [TestCase("", "```")]
    public void BackticksFor_Content_IsAFenceNoLineOfItCanClose(string content, string expected) =>
        CodeFence.BackticksFor(content).Should().Be(expected);

    [Test]
    public void BackticksFor_Null_Throws() =>
        FluentActions.Invoking(() => CodeFence.BackticksFor(null!)).Should().Throw<ArgumentNullException>().WithParameterName("content");

    [Test]
    public void ToString_IsTheNormalizedOpeningLine() =>
        new CodeFence("python title=\"a.py\"", 2, '~', 4).ToString().Should().Be("  ~~~~python title=\"a.py\"");

    [Test]
    public void Constructor_InvalidParts_Throw()
    {
        FluentActions.Invoking(() => new CodeFence(null!, 0, '`', 3)).Should().Throw<ArgumentNullException>().WithParameterName("infoString");
        FluentActions.Invoking(() => new CodeFence("", -1, '`', 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("indentation");
        FluentActions.Invoking(() => new CodeFence("", 0, '*', 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("character");
        FluentActions.Invoking(() => new CodeFence("", 0, '`', 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("length");
    }
}
