using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// Property-style: random bytes and random mutations of the recorded events never make anything but
/// <see cref="SseProtocolException"/> escape the Responses and Messages parsers.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProviderParserFuzzTests
{
    private const string Key = "sk-proj-FUZZKEY0123456789abcdef";

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "\\ude00", "null", "true", "1e999", "-1", "\"type\"", "\"delta\"",
        "\"text\"", "\"thinking\"", "\"response\"", "\"usage\"", "\"error\"", "\"message\"", "\"content_block\"", "\"input_tokens\"",
        "\"output_tokens_details\"", "\"incomplete_details\"", "\"stop_reason\"", "\"stop_details\"", "\"\u00e9\"", " ", "\n",
    ];

    [Test]
    public void RandomBytes_OnlySseProtocolExceptionEscapesEitherParser()
    {
        var random = new Random(4321);
        for (int round = 0; round < 3_000; round++)
        {
            byte[] data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            AssertOnlyProtocolErrors(data, RandomType(random, null));
        }
    }

    [Test]
    public void RandomMutationsOfRecordedEvents_OnlySseProtocolExceptionEscapesEitherParser()
    {
        var random = new Random(8765);
        (string Type, string Data)[] events = [.. RecordedEvents()];
        for (int round = 0; round < 8_000; round++)
        {
            (string type, string data) = events[random.Next(events.Length)];
            byte[] bytes = Encoding.UTF8.GetBytes(Mutate(random, data));
            if (random.Next(8) == 0 && bytes.Length > 0)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100); // invalid UTF-8
            }

            AssertOnlyProtocolErrors(bytes, RandomType(random, type));
        }
    }

    private static string RandomType(Random random, string? recorded) => random.Next(4) switch
    {
        0 => "message",
        1 => "error",
        _ => recorded ?? "content_block_delta",
    };

    /// <summary>Every event of every recording, short ones only (long ones only slow the test down).</summary>
    private static IEnumerable<(string Type, string Data)> RecordedEvents()
    {
        foreach (ProviderRecording recording in ProviderRecording.All("openai-responses").Concat(ProviderRecording.All("anthropic-messages")))
        {
            foreach (string block in Encoding.UTF8.GetString(recording.Body).Split("\n\n"))
            {
                int data = block.IndexOf("data: ", StringComparison.Ordinal);
                if (block.StartsWith("event: ", StringComparison.Ordinal) && data > 0 && block.Length - data < 2_000)
                {
                    yield return (block[7..block.IndexOf('\n', StringComparison.Ordinal)], block[(data + 6)..]);
                }
            }
        }
    }

    private static void AssertOnlyProtocolErrors(byte[] data, string eventType)
    {
        var responses = new ResponsesStreamEventParser(new SecretRedactor(Key));
        var anthropic = new AnthropicStreamEventParser(new SecretRedactor(Key));
        Check(() => responses.Parse(eventType, data));
        Check(() => anthropic.Parse(eventType, data));

        void Check(Func<ProviderStreamEvent> parse)
        {
            try
            {
                _ = parse();
            }
            catch (SseProtocolException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} escaped for event '{eventType}' and data {Convert.ToHexString(data)}: {ex}");
            }
        }
    }

    private static string Mutate(Random random, string json)
    {
        var sb = new StringBuilder(json);
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(sb.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1 when sb.Length > 0:
                    int from = Math.Min(at, sb.Length - 1);
                    sb.Remove(from, Math.Min(random.Next(1, 6), sb.Length - from));
                    break;
                case 2:
                    sb.Length = Math.Min(at, sb.Length);
                    break;
                default:
                    sb.Insert(at, "\"\\ud83d\"");
                    break;
            }
        }

        return sb.ToString();
    }
}
