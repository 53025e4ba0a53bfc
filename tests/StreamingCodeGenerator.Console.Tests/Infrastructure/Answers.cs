using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

/// <summary>Answers the test server streams, and what scg must print for them.</summary>
public static class Answers
{
    public const string ApiKey = OpenAITestServer.DefaultApiKey;

    public const string Intro = "Here is the function:\n\n";
    public const string SortCode = "def bubble_sort(items):\n    for end in range(len(items) - 1, 0, -1):\n        for i in range(end):\n            if items[i] > items[i + 1]:\n                items[i], items[i + 1] = items[i + 1], items[i]\n    return items\n";
    public const string UsageCode = "print(bubble_sort([3, 1, 2]))\n";
    public const string Outro = "\nEach pass moves the largest item to the end; O(n²) overall — naïve but stable. ✓\n";

    /// <summary>Prose, a named Python block, prose, an unnamed block, prose: the exact text scg must print.</summary>
    public static string Text =>
        Intro + "```python title=sort.py\n" + SortCode + "```\n" + "\nUse it:\n\n" + "```python\n" + UsageCode + "```\n" + Outro;

    /// <summary><see cref="Text"/> streamed in small pieces (cut inside lines, fences and a multi-byte character), with usage.</summary>
    /// <param name="fileName">The first block's file name.</param>
    /// <param name="holdAfterIntro">When given, the rest waits for it after the first prose (so a test can watch a live display).</param>
    public static SseScript Script(string? fileName = "sort.py", Task? holdAfterIntro = null) =>
        new SseScript()
            .Role()
            .ContentInPieces(Intro, 5)
            .WaitFor(holdAfterIntro ?? Task.CompletedTask)
            .CodeBlock("python", SortCode, fileName, pieceLength: 7)
            .ContentInPieces("\nUse it:\n\n", 3)
            .CodeBlock("python", UsageCode, pieceLength: 5)
            .ContentInPieces(Outro, 4)
            .Finish()
            .Usage(42, 97)
            .Done();
}
