using System.Globalization;
using StreamingCodeGeneration.Tests.Infrastructure;
using StreamingCodeGeneration.Tests.Protocol;

namespace StreamingCodeGeneration.Tests.Transport;

/// <summary>
/// Every recorded stream of OpenAI's Responses API and Anthropic's Messages API (tests/Recordings, cited in SOURCES.md)
/// replayed over loopback through a whole generator built from options: the answer text exact, reasoning only as
/// reasoning chunks and only when asked for, the finish, usage with cached and reasoning tokens, id and model, the
/// refusal, and the typed failure with exactly the text received for error events, failed responses and cut streams.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProviderRecordingReplayTests
{
    private const string Key = "sk-replay-0123456789abcdefSECRET";

    public static IEnumerable<TestCaseData> Recordings()
    {
        foreach (string api in new[] { "openai-responses", "anthropic-messages" })
        {
            foreach (ProviderRecording recording in ProviderRecording.All(api))
            {
                foreach (bool includeReasoning in new[] { false, true })
                {
                    yield return new TestCaseData(api, recording.Name, includeReasoning)
                        .SetName($"Replay_{api}_{recording.Name}_{(includeReasoning ? "WithReasoning" : "AnswerOnly")}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Recordings))]
    public async Task Replay_ThroughTheGenerator_GivesWhatTheRecordingHolds(string api, string name, bool includeReasoning)
    {
        ProviderRecording recording = ProviderRecording.Load(api, name);
        ProviderOutcome expected = recording.Expected;
        await using var server = await OpenAITestServer.StartAsync(Respond.SseBody(recording.Body));
        StreamingCodeGeneratorOptions options = TestGenerators.Options(server);
        options.Provider = api == "anthropic-messages" ? ModelProvider.Anthropic : ModelProvider.OpenAIResponses;
        options.ApiKey = Key;
        options.Model = api == "anthropic-messages" ? "claude-sonnet-4-5" : options.Model;
        options.IncludeReasoning = includeReasoning;
        CodeGenerationStream stream = TestGenerators.Create(options).GenerateAsync("x");

        var answer = new System.Text.StringBuilder();
        var reasoning = new System.Text.StringBuilder();
        Exception? error = null;
        try
        {
            await foreach (Chunk chunk in stream)
            {
                (chunk.Kind == ChunkKind.Reasoning ? reasoning : answer).Append(chunk.Text);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        answer.ToString().Should().Be(expected.Text);
        reasoning.ToString().Should().Be(includeReasoning ? expected.Reasoning : string.Empty);
        StreamStats stats = stream.Stats;
        stats.ReasoningCharacterCount.Should().Be(expected.Reasoning.Length, "reasoning is counted whether or not it is delivered");
        stats.ResponseId.Should().Be(expected.Id);
        stats.ModelId.Should().Be(expected.Model);
        stats.Refusal.Should().Be(expected.Refusal.Length == 0 ? null : expected.Refusal);
        Describe(stats.Usage).Should().Be(expected.Usage);
        stats.RawFinishReason.Should().Be(expected.Terminal ? expected.Finish : stats.RawFinishReason);

        if (expected.Error is not null)
        {
            StreamInterruptedException interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
            interrupted.Reason.Should().Be(StreamInterruptionReason.ServerError);
            interrupted.PartialText.Should().Be(expected.Text);
            $"{interrupted.ErrorType ?? "-"}|{interrupted.ErrorCode ?? "-"}|{interrupted.Message}".Should().Be(expected.Error);
            stats.Status.Should().Be(StreamStatus.Failed);
        }
        else if (!expected.Terminal)
        {
            StreamInterruptedException interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
            interrupted.Reason.Should().Be(StreamInterruptionReason.EndedWithoutFinishReason);
            interrupted.PartialText.Should().Be(expected.Text);
            interrupted.Message.Should().Contain(api == "anthropic-messages" ? "message_stop" : "response.completed");
        }
        else
        {
            error.Should().BeNull();
            stats.Status.Should().Be(StreamStatus.Completed);
            stats.FinishReason.Should().Be(StreamStatsTracker.MapFinishReason(expected.Finish!));
            stats.IsTruncated.Should().Be(expected.Finish is "max_tokens" or "max_output_tokens" or "model_context_window_exceeded" or "refusal" or "content_filter");
        }

        RecordedRequest request = server.Requests.Single();
        if (api == "anthropic-messages")
        {
            request.Path.Should().Be("/v1/messages");
            request.GetHeader("x-api-key").Should().Be(Key);
            request.GetHeader("anthropic-version").Should().Be("2023-06-01");
            request.GetHeader("Authorization").Should().BeNull("Anthropic takes the key in x-api-key only");
            request.Json.GetProperty("max_tokens").GetInt32().Should().Be(AnthropicRequestWriter.LargeDefaultMaxTokens);
        }
        else
        {
            request.Path.Should().Be("/v1/responses");
            request.GetHeader("Authorization").Should().Be("Bearer " + Key);
            request.Json.GetProperty("store").GetBoolean().Should().BeFalse();
        }

        request.Json.GetProperty("stream").GetBoolean().Should().BeTrue();
    }

    private static string? Describe(TokenUsage? usage) => usage is null ? null : string.Create(
        CultureInfo.InvariantCulture,
        $"{usage.InputTokenCount}/{usage.OutputTokenCount}/{usage.TotalTokenCount} cached={usage.CachedInputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "-"} reasoning={usage.ReasoningTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}
