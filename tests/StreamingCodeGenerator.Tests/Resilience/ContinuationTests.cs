using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>
/// MidStreamRecovery.Continue against a server that honours continuation: it reads the partial answer from the
/// assistant message and resumes the reference, repeating some of it as real models do.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ContinuationTests
{
    private const string Reference =
        "Here is a stack in C#:\n\n```csharp\npublic sealed class Stack<T>\n{\n    private readonly List<T> _items = new();\n\n" +
        "    public void Push(T item) => _items.Add(item);\n\n    public T Pop()\n    {\n        T top = _items[^1];\n" +
        "        _items.RemoveAt(_items.Count - 1);\n        return top;\n    }\n}\n```\n\nPush appends; Pop removes the last item.\n";

    /// <summary>How the continuing model repeats itself.</summary>
    public enum Repeat
    {
        Nothing,
        CurrentLine,
        LongTail,
    }

    [TestCase(70, Repeat.Nothing)]
    [TestCase(70, Repeat.CurrentLine)]
    [TestCase(150, Repeat.CurrentLine)]
    [TestCase(200, Repeat.LongTail)]
    [TestCase(113, Repeat.Nothing)]
    public async Task BrokenStream_ContinuesSeamlessly_TextEqualsReference(int cutAt, Repeat repeat)
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync((context, index) => index == 0
            ? Respond.Sse(Pieces(Reference[..cutAt], 9).Select(SseEvents.Content), Respond.CutWhen(() => stream!.Stats.ServerEventCount >= Pieces(Reference[..cutAt], 9).Count() && stream.Stats.CharacterCount > 0))(context)
            : ContinueAsync(context, repeat));
        var notifications = new List<RetryNotification>();
        StreamingCodeGeneratorOptions options = Options(server, maxRetries: 2);
        options.MidStreamRecovery = MidStreamRecovery.Continue;
        options.OnRetry = n =>
        {
            notifications.Add(n);
            return ValueTask.CompletedTask;
        };
        stream = Create(options).GenerateAsync("Write a stack");

        (string text, List<Chunk> chunks) = await CollectAsync(stream).Soon();

        text.Should().Be(Reference);
        stream.Stats.Attempts.Should().Be(2);
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        notifications.Should().ContainSingle().Which.IsContinuation.Should().BeTrue();
        JsonElement messages = server.Requests[1].Json.GetProperty("messages");
        messages[messages.GetArrayLength() - 2].GetProperty("role").GetString().Should().Be("assistant");
        messages[messages.GetArrayLength() - 2].GetProperty("content").GetString().Should().Be(Reference[..cutAt]);
        messages[messages.GetArrayLength() - 1].GetProperty("content").GetString().Should().Contain("Continue");
        string.Concat(chunks.Where(c => c.Kind == ChunkKind.Code).Select(c => c.Text)).Should().Contain("public T Pop()");
    }

    [Test]
    public async Task ContinuationBreaksToo_RetriesUpToMaxRetriesThenThrowsWithAllText()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync((context, index) =>
        {
            string piece = "part" + index + ";";
            int expected = (index + 1) * piece.Length;
            return Respond.Sse([SseEvents.Content(piece)], Respond.CutWhen(() => stream!.Stats.CharacterCount == expected))(context);
        });
        StreamingCodeGeneratorOptions options = Options(server, maxRetries: 2);
        options.MidStreamRecovery = MidStreamRecovery.Continue;
        stream = Create(options).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream).Soon();

        received.Should().Be("part0;part1;part2;");
        error.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("part0;part1;part2;");
        stream.Stats.Attempts.Should().Be(3);
    }

    private static async Task ContinueAsync(HttpContext context, Repeat repeat)
    {
        using JsonDocument request = JsonDocument.Parse((string)context.Items[OpenAITestServer.BodyItemKey]!);
        JsonElement messages = request.RootElement.GetProperty("messages");
        string partial = messages[messages.GetArrayLength() - 2].GetProperty("content").GetString()!;
        Reference.Should().StartWith(partial);
        int resumeAt = repeat switch
        {
            Repeat.CurrentLine => partial.LastIndexOf('\n') + 1,
            Repeat.LongTail => partial.Length - 40,
            _ => partial.Length,
        };
        string[] pieces = Pieces(Reference[resumeAt..], 7).ToArray();
        await Respond.Answer(pieces)(context);
    }

    private static IEnumerable<string> Pieces(string text, int size)
    {
        for (int i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
