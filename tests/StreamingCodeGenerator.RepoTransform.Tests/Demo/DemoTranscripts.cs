using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.RepoTransform.Tests.Demo;

/// <summary>
/// The demo's recorded answers: written from <c>Demo/*.answer.md</c> as gpt-4o-mini streams (a role chunk, one token of
/// the o200k encoding per event, a finish chunk, a usage chunk, <c>[DONE]</c>), with timings drawn from a fixed seed.
/// </summary>
internal static class DemoTranscripts
{
    public static readonly string[] Names = ["generate", "review"];

    public static string Folder => Path.Combine(RepositoryLayout.Root, "samples", "StreamingCodeGenerator.RepoTransform.Core", "Demo");

    public static string AnswerPath(string name) => Path.Combine(Folder, name + ".answer.md");

    public static string TranscriptPath(string name) => Path.Combine(Folder, name + ".sse.jsonl");

    public static SseTranscript Build(string name, string answer, int promptTokens, int seed)
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);
        IReadOnlyList<int> ids = tokenizer.EncodeToIds(answer);
        var random = new Random(seed);
        string id = "chatcmpl-AXdemoTransform" + name + "0001";
        string Chunk(string choices, string usage) =>
            $"data: {{\"id\":\"{id}\",\"object\":\"chat.completion.chunk\",\"created\":1732262400,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":{choices},\"usage\":{usage}}}\n\n";
        string Delta(string delta, string finish) => $"[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}]";
        TimeSpan Milliseconds(double low, double high) => TimeSpan.FromMilliseconds(Math.Round(low + (random.NextDouble() * (high - low)), 1));

        var chunks = new List<TranscriptChunk> { new(Milliseconds(150, 250), Chunk(Delta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null"), "null")) };
        foreach (int token in ids)
        {
            string piece = tokenizer.Decode([token]);
            if (piece.Contains('\uFFFD', StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The demo's answers are ASCII, so that every token decodes on its own.");
            }

            chunks.Add(new TranscriptChunk(Milliseconds(3, 12), Chunk(Delta("{\"content\":" + JsonSerializer.Serialize(piece) + "}", "null"), "null")));
        }

        chunks.Add(new TranscriptChunk(Milliseconds(5, 15), Chunk(Delta("{}", "\"stop\""), "null")));
        string usage = string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"prompt_tokens\":{promptTokens},\"completion_tokens\":{ids.Count},\"total_tokens\":{promptTokens + ids.Count},\"prompt_tokens_details\":{{\"cached_tokens\":0,\"audio_tokens\":0}},\"completion_tokens_details\":{{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}}");
        chunks.Add(new TranscriptChunk(Milliseconds(15, 25), Chunk("[]", usage)));
        chunks.Add(new TranscriptChunk(TimeSpan.FromMilliseconds(0.4), "data: [DONE]\n\n"));
        return new SseTranscript
        {
            Request = "POST /v1/chat/completions",
            StatusCode = 200,
            ContentType = "text/event-stream; charset=utf-8",
            Headers = new Dictionary<string, string>
            {
                ["x-request-id"] = "req_demo_transform_" + name,
                ["openai-processing-ms"] = ((int)Milliseconds(180, 320).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            },
            HeadersDelay = Milliseconds(200, 320),
            Chunks = chunks,
            EndDelay = TimeSpan.FromMilliseconds(0.2),
        };
    }

    /// <summary>The answer a transcript streams: its content deltas joined.</summary>
    public static (string Text, IReadOnlyList<string> Pieces) Content(SseTranscript transcript)
    {
        var text = new StringBuilder();
        var pieces = new List<string>();
        foreach (TranscriptChunk chunk in transcript.Chunks)
        {
            foreach (string line in chunk.Text.Split('\n'))
            {
                if (!line.StartsWith("data: {", StringComparison.Ordinal))
                {
                    continue;
                }

                using var json = JsonDocument.Parse(line["data: ".Length..]);
                foreach (JsonElement choice in json.RootElement.GetProperty("choices").EnumerateArray())
                {
                    if (choice.GetProperty("delta").TryGetProperty("content", out JsonElement content) && content.GetString() is { Length: > 0 } piece)
                    {
                        text.Append(piece);
                        pieces.Add(piece);
                    }
                }
            }
        }

        return (text.ToString(), pieces);
    }
}
