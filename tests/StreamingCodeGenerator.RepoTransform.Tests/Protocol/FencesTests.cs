namespace StreamingCodeGeneration.RepoTransform.Tests.Protocol;

[Parallelizable(ParallelScope.All)]
public sealed class FencesTests
{
    [TestCase("plain\ntext\n", "```")]
    [TestCase("```bash\nls\n```\n", "````")]
    [TestCase("   ````\nindented up to three\n", "`````")]
    [TestCase("    ```\nfour spaces is code, not a fence\n", "```")]
    [TestCase("text ``` inside a line\n", "```")]
    public void For_Text_ChoosesAFenceTheTextCannotClose(string text, string expected) =>
        CodeFence.BackticksFor(text).Should().Be(expected);

    [Test]
    public void FileBlock_FileWithFences_RoundTripsThroughTheProtocol()
    {
        string block = TransformPrompts.FileBlock("docs/read me.md", "```\nx\n```");

        block.Should().Be("````markdown path=\"docs/read me.md\"\n```\nx\n```\n````\n");
    }
}
