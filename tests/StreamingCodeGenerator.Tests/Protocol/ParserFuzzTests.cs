using System.Text;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// Property-style: random bytes and random, mostly-valid JSON events never make anything but the library's own
/// exceptions escape — <see cref="SseProtocolException"/> from the parser, <see cref="CodeGenerationException"/> (or
/// cancellation) from a generation.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "\\ude00", "\\u00", "null", "true", "1e999", "-0", "\"choices\"",
        "\"delta\"", "\"content\"", "\"message\"", "\"reasoning_content\"", "\"thinking\"", "\"type\"", "\"text\"", "\"usage\"",
        "\"x_groq\"", "\"error\"", "\"finish_reason\"", "\"index\"", "\"prompt_tokens\"", "\"id\"", "\"model\"", "\"refusal\"",
        "\"prompt_filter_results\"", "\"filtered\"", "\"content_filter_results\"", "\"\u00e9\"", "\"\U0001F600\"", " ", "\n",
    ];

    private static readonly string[] ValidEvents =
    [
        "{\"id\":\"a\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"t\"}]}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"r\",\"reasoning\":\"s\"}}],\"x_groq\":{\"usage\":{\"prompt_tokens\":1}}}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":1}}}",
        "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":5,\"param\":null}}",
        "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"whole\"},\"finish_reason\":\"stop\"}]}",
        "{\"prompt_filter_results\":[{\"content_filter_results\":{\"hate\":{\"filtered\":true}}}],\"choices\":[]}",
    ];

    [Test]
    public void RandomBytes_OnlySseProtocolExceptionEscapesTheParser()
    {
        var random = new Random(1234);
        var parser = new ChatStreamEventParser(new SecretRedactor(ApiKey));
        for (int round = 0; round < 5_000; round++)
        {
            byte[] data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            AssertOnlyProtocolErrors(parser, data);
        }
    }

    [Test]
    public void RandomMutationsOfValidEvents_OnlySseProtocolExceptionEscapesTheParser()
    {
        var random = new Random(5678);
        var parser = new ChatStreamEventParser(new SecretRedactor(ApiKey));
        for (int round = 0; round < 20_000; round++)
        {
            string json = Mutate(random, ValidEvents[random.Next(ValidEvents.Length)]);
            byte[] data = Encoding.UTF8.GetBytes(json);
            if (random.Next(8) == 0 && data.Length > 0)
            {
                data[random.Next(data.Length)] = (byte)random.Next(0x80, 0x100); // invalid UTF-8
            }

            AssertOnlyProtocolErrors(parser, data);
        }
    }

    [Test]
    public async Task RandomBodies_OnlyCodeGenerationExceptionsEscapeAGeneration()
    {
        var random = new Random(9012);
        var bodies = new List<byte[]>();
        for (int i = 0; i < 150; i++)
        {
            var body = new StringBuilder();
            int events = random.Next(1, 6);
            for (int e = 0; e < events; e++)
            {
                string json = random.Next(3) == 0 ? ValidEvents[random.Next(ValidEvents.Length)] : Mutate(random, ValidEvents[random.Next(ValidEvents.Length)]);
                body.Append(random.Next(10) == 0 ? "event: error\n" : string.Empty).Append("data: ").Append(json).Append(random.Next(2) == 0 ? "\n\n" : "\r\n\r\n");
            }

            if (random.Next(2) == 0)
            {
                body.Append(SseEvents.Done);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(body.ToString());
            if (random.Next(4) == 0)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
            }

            bodies.Add(bytes);
        }

        await using var server = await OpenAITestServer.StartAsync(async (context, index) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(bodies[index % bodies.Count], context.RequestAborted);
        });
        StreamingCodeGeneratorOptions options = Options(server);
        options.IncludeReasoning = true;
        StreamingCodeGenerator generator = Create(options);

        for (int i = 0; i < bodies.Count; i++)
        {
            (Exception? error, _) = await CollectFailureAsync(generator.GenerateAsync("x"));
            if (error is not null and not CodeGenerationException and not OperationCanceledException)
            {
                Assert.Fail($"Body {i} let {error.GetType().Name} escape: {error}\n{Encoding.UTF8.GetString(bodies[i])}");
            }
        }
    }

    private static void AssertOnlyProtocolErrors(ChatStreamEventParser parser, byte[] data)
    {
        try
        {
            _ = parser.Parse(string.Empty, data);
            _ = parser.Parse("error", data);
        }
        catch (SseProtocolException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex.GetType().Name} escaped for {Convert.ToHexString(data)}: {ex}");
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
                    sb.Remove(Math.Min(at, sb.Length - 1), Math.Min(random.Next(1, 6), sb.Length - Math.Min(at, sb.Length - 1)));
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
