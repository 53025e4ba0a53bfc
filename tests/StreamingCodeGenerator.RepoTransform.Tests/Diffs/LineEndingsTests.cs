namespace StreamingCodeGeneration.RepoTransform.Tests.Diffs;

[Parallelizable(ParallelScope.All)]
public sealed class LineEndingsTests
{
    [TestCase("a\r\nb\r\n", "a\nB\nc\n", "a\r\nB\r\nc\r\n", TestName = "CRLF file stays CRLF")]
    [TestCase("a\nb\n", "a\nB\n", "a\nB\n", TestName = "LF file stays LF")]
    [TestCase("a\r\nb\nc\r\n", "a\nb\nC\n", "a\r\nb\nC\r\n", TestName = "mixed: unchanged lines keep their own ending")]
    [TestCase("a\nb", "a\nB\n", "a\nB", TestName = "no final newline is kept")]
    [TestCase("a\r\nb", "a\nb\nc\n", "a\r\nb\r\nc", TestName = "old last line gains the dominant ending")]
    [TestCase("\uFEFFa\r\n", "A\n", "\uFEFFA\r\n", TestName = "byte order mark is kept")]
    [TestCase("", "new\n", "new\n", TestName = "empty file")]
    [TestCase("a\n", "", "", TestName = "emptied file")]
    [TestCase("a\r\n", "a\r\nb\r\n", "a\r\nb\r\n", TestName = "model's own CRLF is read as LF")]
    public void Adapt_ModelText_TakesTheOriginalsStyle(string original, string model, string expected) =>
        LineEndings.Adapt(original, model).Should().Be(expected);

    [Test]
    public void ToDisplay_CrlfWithBom_ShowsPlainLf() =>
        LineEndings.ToDisplay("\uFEFFa\r\nb\r\n").Should().Be("a\nb\n");
}
