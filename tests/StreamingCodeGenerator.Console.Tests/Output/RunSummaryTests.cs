namespace StreamingCodeGeneration.Samples.Console.Tests.Output;

[Parallelizable(ParallelScope.All)]
public sealed class RunSummaryTests
{
    [Test]
    public void Describe_CompleteAnswer_TimeTokensUsageChunksFinishAndBlocks()
    {
        var stats = new StreamStats
        {
            Elapsed = TimeSpan.FromSeconds(2.4), TokenCount = 186, Usage = new TokenUsage(38, 186, 224), ServerEventCount = 160, EmptyServerEventCount = 3,
            TokensPerSecond = 80.04, TimeToFirstChunk = TimeSpan.FromMilliseconds(350), Attempts = 1, FinishReason = FinishReason.Stop, RawFinishReason = "stop",
        };
        var result = new CodeGenerationResult("t", "e", [new CodeBlock(0, "csharp", "a\nb\n", "Sort.cs", "csharp title=Sort.cs", true), new CodeBlock(1, null, "x", null, "", true)], stats);

        IReadOnlyList<(string Label, string Text)> lines = RunSummary.Describe(result, 157, [new SavedFile(0, "Sort.cs", "/o/Sort.cs")], "out");

        lines.Should().Equal(
            ("Done", "in 2.4 s · 186 tokens (server usage: 38 prompt + 186 completion = 224) · 157 chunks from 160 server events (3 without text) · 80.0 tok/s · first chunk 350 ms · finish reason stop"),
            ("Code blocks", "2 — Sort.cs (csharp, 2 lines), block 2 (no language, 1 lines)"),
            ("Saved", Path.Combine("out", "Sort.cs")));
    }

    [Test]
    public void Describe_CutByLength_AddsANoteAndSaysWhenUsageIsMissing()
    {
        var stats = new StreamStats { FinishReason = FinishReason.Length, RawFinishReason = "length", Attempts = 3 };
        var result = new CodeGenerationResult("t", "t", [new CodeBlock(0, "py", "x", null, "py", false)], stats);

        IReadOnlyList<(string Label, string Text)> lines = RunSummary.Describe(result, 1, [], saveFolder: null);

        lines[0].Text.Should().Contain("(the server reported no usage)").And.Contain("· 3 attempts ·");
        lines[1].Text.Should().Be("1 — block 1 (py, 1 lines, unterminated)");
        lines[^1].Should().Be(("Note", "the answer was cut short: it reached the output token limit (finish reason length) — raise --max-tokens."));
    }
}
