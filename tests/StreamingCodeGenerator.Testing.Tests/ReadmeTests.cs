using System.Text;

namespace StreamingCodeGeneration.Testing.Tests;

/// <summary>The package README's quick start, verbatim, so it keeps compiling and passing.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ReadmeTests
{
    [Test]
    public async Task Generate_StreamedAnswer_YieldsEveryPieceInOrder()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("Hello", ", world"));
        var generator = new StreamingCodeGenerator(server.CreateOptions());

        var text = new StringBuilder();
        await foreach (Chunk chunk in generator.GenerateAsync("Say hello"))
        {
            text.Append(chunk.Text);
        }

        Assert.That(text.ToString(), Is.EqualTo("Hello, world"));
        Assert.That(server.Requests.Single().Messages.Last().Content, Is.EqualTo("Say hello"));
    }

    [Test]
    public async Task Generate_ConnectionCutMidStream_ThrowsWithThePartialText()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("public int ", "Add(").CutWhen(() => stream!.Stats.CharacterCount == 15));
        stream = server.CreateGenerator().GenerateAsync("Write Add");

        var error = Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (Chunk _ in stream) { }
        });

        Assert.That(error!.PartialText, Is.EqualTo("public int Add("));
    }

    [Test]
    public async Task RecordAndReplay_AsInTheReadme_ReplaysWhatWasRecorded()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "Transcripts", "sort.sse.jsonl");
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("def sort(xs):", " return sorted(xs)"));

        await using (var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint, path))
        {
            var generator = new StreamingCodeGenerator(proxy.CreateOptions("sk-real-key-0123456789"));
            await generator.GenerateCodeWithExplanationAsync("Write a bubble sort in Python");
            await proxy.WaitForTranscriptAsync(0);
        }

        await using var server = await OpenAITestServer.StartAsync(Respond.Replay(SseTranscript.Load(path), speed: 10));
        CodeGenerationResult result = await server.CreateGenerator().GenerateCodeWithExplanationAsync("anything");

        Assert.That(result.Text, Is.EqualTo("def sort(xs): return sorted(xs)"));
        Assert.That(File.ReadAllText(path), Does.Not.Contain("sk-real-key"));
    }
}
