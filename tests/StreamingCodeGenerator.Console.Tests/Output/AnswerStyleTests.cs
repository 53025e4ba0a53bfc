namespace StreamingCodeGeneration.Samples.Console.Tests.Output;

[Parallelizable(ParallelScope.All)]
public sealed class AnswerStyleTests
{
    [Test]
    public void Apply_Answer_AddsOnlyColourCodesAroundTheExactText()
    {
        var style = new AnswerStyle();
        Chunk[] chunks =
        [
            new(0, "Intro\n", TimeSpan.Zero),
            new(1, "```cs title=A.cs\n", TimeSpan.Zero, ChunkKind.Fence, "cs", 0, "A.cs"),
            new(2, "int x;\n", TimeSpan.Zero, ChunkKind.Code, "cs", 0, "A.cs"),
            new(3, "```\n", TimeSpan.Zero, ChunkKind.Fence, "cs", 0, "A.cs"),
            new(4, "Done.", TimeSpan.Zero, ChunkKind.Explanation, null, 1),
        ];

        string[] styled = chunks.Select(style.Apply).ToArray();

        styled.Should().Equal(
            "Intro\n",
            AnswerStyle.Header + "```cs title=A.cs\n" + AnswerStyle.Reset,
            AnswerStyle.Code + "int x;\n" + AnswerStyle.Reset,
            AnswerStyle.Dim + "```\n" + AnswerStyle.Reset,
            "Done.");
    }
}
