using System.Text;

namespace StreamingCodeGeneration.Tests.Resilience;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ContinuationOverlapFilterTests
{
    [TestCase("int x = 1;\n    ret", "    return x;\n}", "urn x;\n}", TestName = "Restarted line is dropped")]
    [TestCase("int x = 1;\n    ret", "urn x;\n}", "urn x;\n}", TestName = "Exact continuation is kept")]
    [TestCase("a\n}", "\n}\n", "\n}\n", TestName = "Closing brace coincidence is kept")]
    [TestCase("a\n        ", "        x", "        x", TestName = "Indentation-only overlap is kept")]
    [TestCase("The quick brown fox jumps over the lazy dog and then", " the lazy dog and then runs.", " the lazy dog and then runs.", TestName = "Short mid-line repeat is kept")]
    [TestCase("The quick brown fox jumps over the lazy dog and then", "brown fox jumps over the lazy dog and then runs.", " runs.", TestName = "Long mid-line repeat is dropped")]
    public void Continuation_DropsOnlyCredibleOverlap(string answer, string continuation, string expected)
    {
        foreach (int size in new[] { 1, 2, 5, continuation.Length })
        {
            Feed(answer, continuation, size).Should().Be(expected, "with deltas of {0} characters", size);
        }
    }

    /// <summary>Feeds deltas as the engine does: through the filter until it decides, then straight through.</summary>
    private static string Feed(string answer, string continuation, int size)
    {
        var filter = new ContinuationOverlapFilter(answer);
        var released = new StringBuilder();
        bool decided = false;
        for (int i = 0; i < continuation.Length; i += size)
        {
            string delta = continuation.Substring(i, Math.Min(size, continuation.Length - i));
            if (decided)
            {
                released.Append(delta);
                continue;
            }

            released.Append(filter.Push(delta));
            decided = filter.IsDecided;
        }

        if (!decided)
        {
            released.Append(filter.Flush());
        }

        return released.ToString();
    }
}
