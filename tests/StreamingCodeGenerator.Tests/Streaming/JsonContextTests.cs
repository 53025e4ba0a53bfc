using System.Text.Json;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>The public results are constructible and round-trip through the source-generated JSON context.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class JsonContextTests
{
    private static readonly StreamingCodeGeneratorJsonContext Context = StreamingCodeGeneratorJsonContext.Default;

    [Test]
    public async Task ChunksAndResult_OfARealGeneration_RoundTrip()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("Sort:\n\n```python title=\"s.py\"\n", "print(sorted(x))\n", "```\n"));
        var chunks = new List<Chunk>();
        CodeGenerationResult result = await Create(Options(server)).GenerateCodeWithExplanationAsync("x", chunks.Add);

        foreach (Chunk chunk in chunks)
        {
            string json = JsonSerializer.Serialize(chunk, Context.Chunk);
            Chunk back = JsonSerializer.Deserialize(json, Context.Chunk)!;
            back.Should().BeEquivalentTo(chunk);
        }

        string resultJson = JsonSerializer.Serialize(result, Context.CodeGenerationResult);
        CodeGenerationResult again = JsonSerializer.Deserialize(resultJson, Context.CodeGenerationResult)!;
        again.Should().BeEquivalentTo(result);
        again.CodeBlocks.Single().FileName.Should().Be("s.py");
        again.Usage!.TotalTokenCount.Should().Be(15);
    }

    [Test]
    public void Chunk_IsWrittenInCamelCase_WithEnumsAsStrings_AndNullsLeftOut()
    {
        var chunk = new Chunk(3, "int x;", TimeSpan.FromMilliseconds(1500), ChunkKind.Code, "csharp", 1);

        string json = JsonSerializer.Serialize(chunk, Context.Chunk);

        json.Should().Be("{\"index\":3,\"text\":\"int x;\",\"elapsed\":\"00:00:01.5000000\",\"kind\":\"Code\",\"language\":\"csharp\",\"blockIndex\":1}");
    }

    [Test]
    public void Chunk_OfACodeBlock_CarriesItsFence_AndClosesBlockOnlyWhenTrue()
    {
        var fence = new CodeFence("python title=\"s.py\"", 0, '`', 3);
        var closing = new Chunk(4, "```\n", TimeSpan.Zero, ChunkKind.Fence, "python", 0, "s.py", fence, closesBlock: true);
        var code = new Chunk(3, "x\n", TimeSpan.Zero, ChunkKind.Code, "python", 0, "s.py", fence, closesBlock: false);

        string json = JsonSerializer.Serialize(closing, Context.Chunk);

        json.Should().Be("{\"index\":4,\"text\":\"\\u0060\\u0060\\u0060\\n\",\"elapsed\":\"00:00:00\",\"kind\":\"Fence\",\"language\":\"python\",\"blockIndex\":0,\"fileName\":\"s.py\"," +
            "\"fence\":{\"infoString\":\"python title=\\u0022s.py\\u0022\",\"indentation\":0,\"character\":\"\\u0060\",\"length\":3},\"closesBlock\":true}");
        JsonSerializer.Serialize(code, Context.Chunk).Should().NotContain("closesBlock");
        JsonSerializer.Deserialize(json, Context.Chunk).Should().BeEquivalentTo(closing);
    }

    [Test]
    public void StreamStats_ReadBackFromJson_KeepsEveryField()
    {
        var stats = new StreamStats
        {
            Status = StreamStatus.Completed,
            ServerEventCount = 7,
            EmptyServerEventCount = 3,
            CharacterCount = 40,
            TokenCount = 9,
            Attempts = 2,
            TimeToFirstChunk = TimeSpan.FromMilliseconds(250),
            Elapsed = TimeSpan.FromSeconds(2),
            TokensPerSecond = 5.1,
            FinishReason = FinishReason.Length,
            RawFinishReason = "length",
            Usage = new TokenUsage(10, 9, 19) { CachedInputTokenCount = 4 },
            ModelId = "gpt-4o-mini-2024-07-18",
            ResponseId = "chatcmpl-1",
        };

        StreamStats back = JsonSerializer.Deserialize(JsonSerializer.Serialize(stats, Context.StreamStats), Context.StreamStats)!;

        back.Should().BeEquivalentTo(stats);
        back.IsTruncated.Should().BeTrue();
    }

    [Test]
    public void PublicConstructors_CheckTheirArguments()
    {
        FluentActions.Invoking(() => new Chunk(0, null!, TimeSpan.Zero)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new Chunk(-1, "x", TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new CodeGenerationResult("x", "x", null!, new StreamStats())).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new RetryNotification(1, TimeSpan.Zero, null!, false)).Should().Throw<ArgumentNullException>();
    }

    [Test]
    public void Result_OfAnUnterminatedBlock_IsTruncated()
    {
        var result = new CodeGenerationResult("```py\nx", string.Empty, [new CodeBlock(0, "py", "x", null, "py", isTerminated: false)], new StreamStats());

        result.IsTruncated.Should().BeTrue();
    }
}
