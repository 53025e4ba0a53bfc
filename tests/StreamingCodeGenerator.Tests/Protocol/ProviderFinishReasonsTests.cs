namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>The finish values of OpenAI's Responses API and Anthropic's Messages API, mapped to <see cref="FinishReason"/>.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProviderFinishReasonsTests
{
    [TestCase("completed", FinishReason.Stop)]
    [TestCase("max_output_tokens", FinishReason.Length)]
    [TestCase("content_filter", FinishReason.ContentFilter)]
    [TestCase("incomplete", FinishReason.Other)]
    [TestCase("end_turn", FinishReason.Stop)]
    [TestCase("stop_sequence", FinishReason.Stop)]
    [TestCase("max_tokens", FinishReason.Length)]
    [TestCase("model_context_window_exceeded", FinishReason.Length)]
    [TestCase("refusal", FinishReason.ContentFilter)]
    [TestCase("tool_use", FinishReason.ToolCalls)]
    [TestCase("pause_turn", FinishReason.Other)]
    [TestCase("something_new", FinishReason.Other)]
    public void Map_ProviderValue_GivesTheFinishReason(string raw, FinishReason expected)
    {
        ProviderFinishReasons.Map(raw).Should().Be(expected);
    }

    [Test]
    public void Map_EveryFinishInTheRecordings_IsKnown()
    {
        IEnumerable<string> finishes = ProviderRecording.All("openai-responses").Concat(ProviderRecording.All("anthropic-messages"))
            .Select(r => r.Expected.Finish).OfType<string>().Distinct();

        finishes.Should().OnlyContain(f => ProviderFinishReasons.Map(f) != FinishReason.Other);
    }
}
