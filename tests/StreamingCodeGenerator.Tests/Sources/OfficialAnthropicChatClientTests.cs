using Anthropic;
using Microsoft.Extensions.AI;
using StreamingCodeGeneration.Tests.Infrastructure;
using StreamingCodeGeneration.Tests.Protocol;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Sources;

/// <summary>
/// The IChatClient route with a real client: Anthropic's official SDK (13.15.0) and its <see cref="IChatClient"/>,
/// talking to the loopback server that replays recorded Messages API streams. The client is faithful on complete
/// answers but completes quietly when the body ends without <c>message_stop</c>; the generator reports that as a cut
/// stream with exactly the text received, as its native source does.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OfficialAnthropicChatClientTests
{
    private const string Key = "sk-ant-api03-OfficialClient0123456789abcdefABCDEF";

    [TestCase("text-claude-sonnet-4-5")]
    [TestCase("code-answer-go-claude-sonnet-4-6")]
    [TestCase("text-basic-claude-3-opus")]
    public async Task CompleteRecording_IsDeliveredExactly(string name)
    {
        ProviderRecording recording = ProviderRecording.Load("anthropic-messages", name);
        await using var server = await OpenAITestServer.StartAsync(Respond.SseBody(recording.Body));

        CodeGenerationStream stream = Generator(server).GenerateAsync("x");
        (string text, _) = await CollectAsync(stream).Soon();

        text.Should().Be(recording.Expected.Text);
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        server.Requests.Single().Path.Should().Be("/v1/messages");
    }

    [Test]
    public async Task RecordingCutBeforeMessageStop_IsACutStream_CarryingExactlyTheTextReceived()
    {
        ProviderRecording recording = ProviderRecording.Load("anthropic-messages", "derived-cut-before-message-stop");
        await using var server = await OpenAITestServer.StartAsync(Respond.SseBody(recording.Body));

        CodeGenerationStream stream = Generator(server).GenerateAsync("x");
        (Exception? error, string received) = await CollectFailureAsync(stream).Soon();

        StreamInterruptedException cut = error.Should().BeOfType<StreamInterruptedException>().Subject;
        cut.Reason.Should().Be(StreamInterruptionReason.EndedWithoutFinishReason);
        cut.PartialText.Should().Be(recording.Expected.Text);
        received.Should().Be(recording.Expected.Text);
        stream.Stats.Status.Should().Be(StreamStatus.Failed);
    }

    [Test]
    public async Task RecordingWithAnOverloadedErrorEvent_IsATypedFailure_CarryingTheTextReceived_AndNoKey()
    {
        ProviderRecording recording = ProviderRecording.Load("anthropic-messages", "derived-overloaded-error-midstream");
        await using var server = await OpenAITestServer.StartAsync(Respond.SseBody(recording.Body));

        (Exception? error, string received) = await CollectFailureAsync(Generator(server).GenerateAsync("x")).Soon();

        // The client surfaces the event as an untyped exception of its own; the generator wraps it, typed by what it knows.
        CodeGenerationException failure = error.Should().BeAssignableTo<CodeGenerationException>().Subject;
        failure.PartialText.Should().Be(recording.Expected.Text);
        received.Should().Be(recording.Expected.Text);
        failure.ToString().Should().NotContain(Key);
    }

    private static StreamingCodeGenerator Generator(OpenAITestServer server)
    {
        var anthropic = new AnthropicClient { ApiKey = Key, BaseUrl = new Uri(server.Endpoint, "/").AbsoluteUri.TrimEnd('/'), MaxRetries = 0 };
        IChatClient chatClient = anthropic.AsIChatClient("claude-sonnet-4-5", defaultMaxOutputTokens: 1024);
        return new StreamingCodeGenerator(chatClient, new StreamingCodeGeneratorOptions { Model = "claude-sonnet-4-5", MaxRetries = 0 });
    }
}
