using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;
using SseTranscript = StreamingCodeGeneration.Testing.SseTranscript;
using TranscriptEnding = StreamingCodeGeneration.Testing.TranscriptEnding;

namespace StreamingCodeGeneration.RepoTransform.Tests.Demo;

/// <summary>
/// The offline demo's data: the recorded answers stream exactly <c>Demo/*.answer.md</c>, and replayed over a loopback
/// server they change the bundled example repository with a diff that real <c>git apply</c> accepts and whose tests pass.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TransformDemoTests
{
    [TestCase(0, "generate")]
    [TestCase(1, "review")]
    public void Transcript_StreamsItsAnswerOneTokenPerEvent(int index, string name)
    {
        SseTranscript transcript = SseTranscript.Parse(TransformDemo.LoadTranscripts()[index]);

        (string text, IReadOnlyList<string> pieces) = DemoTranscripts.Content(transcript);

        text.Should().Be(File.ReadAllText(DemoTranscripts.AnswerPath(name)));
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);
        pieces.Should().HaveCount(tokenizer.CountTokens(text)).And.OnlyContain(piece => tokenizer.CountTokens(piece) == 1);
        transcript.Ending.Should().Be(TranscriptEnding.Complete);
    }

    [Test]
    public void ExampleFiles_AreTheBundledRepository()
    {
        TransformDemo.ExampleFiles.Keys.Should().Equal("README.md", "temperature.py", "test_temperature.py");
        TransformDemo.ExampleFiles["temperature.py"].Should().Be(File.ReadAllText(Path.Combine(DemoTranscripts.Folder, "example", "temperature.py")));
    }

    [Test]
    public async Task Replay_OnTheExampleRepository_IsAConfidentDiffThatGitAppliesAndWhoseTestsPass()
    {
        using var folder = new TempDirectory();
        string repository = folder.Combine("example");
        await TransformDemo.CreateRepositoryAsync(repository);
        IReadOnlyList<string> transcripts = TransformDemo.LoadTranscripts();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            StreamingCodeGeneration.Testing.Respond.Replay(SseTranscript.Parse(transcripts[0]), double.PositiveInfinity),
            StreamingCodeGeneration.Testing.Respond.Replay(SseTranscript.Parse(transcripts[1]), double.PositiveInfinity));
        var options = new RepositoryTransformerOptions { RepositoryAccess = RepositoryAccess.ForLocalUser(), Checks = CheckOptions.ForLocalUser() };
        options.Checks.Commands.Add(TransformDemo.ExampleCheck);
        options.Checks.Commands.Add("git diff --check");
        var transformer = new RepositoryTransformer(TestGenerators.Create(server), options);

        TransformResult result = await transformer.RunAsync(new TransformRequest(repository, TransformDemo.Prompt));

        result.Outcome.Should().Be(TransformOutcome.Succeeded, string.Join("\n", result.Warnings));
        result.Verdict.Should().Be(ReviewVerdict.Confident);
        result.Files.Select(f => f.Path).Should().Equal("temperature.py", "test_temperature.py");
        result.Checks.Should().HaveCount(2).And.OnlyContain(check => check.Passed && check.Round == 1);
        result.Explanation.Should().Contain("offline demo");
        ProcessRunner.Result check = await ProcessRunner.RunAsync("git", ["apply", "--check", "-"], repository, null, result.Diff);
        check.ExitCode.Should().Be(0, check.Error);
    }

    /// <summary>Writes <c>Demo/*.sse.jsonl</c> from <c>Demo/*.answer.md</c>; run it by name after changing an answer or the example.</summary>
    [Test]
    [Explicit("Writes the demo's transcripts into the source tree.")]
    public async Task RegenerateTranscripts()
    {
        using var folder = new TempDirectory();
        string repository = folder.Combine("example");
        await TransformDemo.CreateRepositoryAsync(repository);
        string[] answers = [.. DemoTranscripts.Names.Select(name => File.ReadAllText(DemoTranscripts.AnswerPath(name)))];
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Infrastructure.Respond.Answer(answers[0]), Infrastructure.Respond.Answer(answers[1]));
        StreamingCodeGenerator generator = TestGenerators.Create(server);
        await new RepositoryTransformer(generator, new RepositoryTransformerOptions { RepositoryAccess = RepositoryAccess.ForLocalUser() })
            .RunAsync(new TransformRequest(repository, TransformDemo.Prompt));

        for (int i = 0; i < DemoTranscripts.Names.Length; i++)
        {
            var request = new CodeGenerationRequest { SystemPrompt = server.Requests[i].Messages[0].Content, Prompt = server.Requests[i].Messages[^1].Content! };
            DemoTranscripts.Build(DemoTranscripts.Names[i], answers[i], generator.CountPromptTokens(request), seed: 25 + i).Save(DemoTranscripts.TranscriptPath(DemoTranscripts.Names[i]));
        }
    }
}
