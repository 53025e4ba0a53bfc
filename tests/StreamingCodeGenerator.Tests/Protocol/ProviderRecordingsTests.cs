using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// Every recorded stream of OpenAI's Responses API and Anthropic's Messages API (tests/Recordings) through
/// <see cref="System.Net.ServerSentEvents.SseParser"/> and the provider parsers gives exactly the text, reasoning,
/// refusal, finish, end marker, error and usage its <c>.expected.json</c> holds, through every line ending and through a
/// stream that returns one byte per read.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProviderRecordingsTests
{
    private static readonly string[] LineEndings = ["\n", "\r\n", "\r"];

    public static IEnumerable<ProviderRecording> ResponsesRecordings => ProviderRecording.All("openai-responses");

    public static IEnumerable<ProviderRecording> AnthropicRecordings => ProviderRecording.All("anthropic-messages");

    [Test]
    public void ResponsesParser_EveryRecordingThroughEveryLineEndingAndOneByteReads_GivesTheExpectedOutcome(
        [ValueSource(nameof(ResponsesRecordings))] ProviderRecording recording,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool oneBytePerRead)
    {
        using Stream body = Open(recording.WithLineEnding(newline), oneBytePerRead);

        ProviderOutcome outcome = ProviderOutcome.OfResponses(body);

        outcome.Should().Be(recording.Expected);
    }

    [Test]
    public void AnthropicParser_EveryRecordingThroughEveryLineEndingAndOneByteReads_GivesTheExpectedOutcome(
        [ValueSource(nameof(AnthropicRecordings))] ProviderRecording recording,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool oneBytePerRead)
    {
        using Stream body = Open(recording.WithLineEnding(newline), oneBytePerRead);

        ProviderOutcome outcome = ProviderOutcome.OfAnthropic(body);

        outcome.Should().Be(recording.Expected);
    }

    [Test]
    public void Recordings_BothApis_HaveAtLeastFifteenEachAndCoverEveryEnding()
    {
        ProviderRecording[] responses = [.. ResponsesRecordings];
        ProviderRecording[] anthropic = [.. AnthropicRecordings];

        responses.Should().HaveCountGreaterThanOrEqualTo(15);
        anthropic.Should().HaveCountGreaterThanOrEqualTo(15);
        responses.Select(r => r.Expected.Finish).Should().Contain(["completed", "max_output_tokens"]);
        responses.Should().Contain(r => r.Expected.Error != null).And.Contain(r => !r.Expected.Terminal && r.Expected.Error == null)
            .And.Contain(r => r.Expected.Refusal.Length > 0).And.Contain(r => r.Expected.Reasoning.Length > 0);
        anthropic.Select(r => r.Expected.Finish).Should().Contain(["end_turn", "max_tokens", "tool_use", "refusal"]);
        anthropic.Should().Contain(r => r.Expected.Error != null).And.Contain(r => !r.Expected.Terminal && r.Expected.Error == null)
            .And.Contain(r => r.Expected.Reasoning.Length > 0);
    }

    [Test]
    public void SourcesFile_NamesEveryRecording()
    {
        string sources = File.ReadAllText(Path.Combine(ProviderRecording.Folder, "SOURCES.md"));

        foreach (ProviderRecording recording in ResponsesRecordings.Concat(AnthropicRecordings))
        {
            sources.Should().Contain("`" + recording.Name + ".sse`", "SOURCES.md cites every recording");
        }
    }

    private static Stream Open(byte[] body, bool oneBytePerRead) => oneBytePerRead ? new OneByteStream(body) : new MemoryStream(body);
}
