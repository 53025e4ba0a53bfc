namespace StreamingCodeGeneration.Tests.Requests;

/// <summary>
/// Name matching of the model table beyond <see cref="KnownModelsTests"/>: separators, routers' prefixes, fine-tunes,
/// point releases, and the names that say a model reasons.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class KnownModelsMatchingTests
{
    [TestCase("gpt-4o:free", "gpt-4o")]
    [TestCase("gpt-oss:20b", "gpt-oss")]
    [TestCase("gpt-oss-120b", "gpt-oss")]
    [TestCase("azure/openai/gpt-4o", "gpt-4o")]
    [TestCase("openai/ft:gpt-4o-mini:acme::abc", "gpt-4o")]
    [TestCase("gpt-4-32k-0613", "gpt-4-32k")]
    [TestCase("gpt-4-turbo-preview", "gpt-4-turbo")]
    [TestCase("gpt-4-1106-preview", "gpt-4-1106")]
    [TestCase("gpt-4.5-preview", "gpt-4.5")]
    [TestCase("gpt-4.1", "gpt-4.1")]
    [TestCase("gpt-5.1-codex-mini", "gpt-5")]
    [TestCase("gpt-5-chat-latest", "gpt-5-chat")]
    [TestCase("o1", "o1")]
    [TestCase("o1-pro", "o1")]
    [TestCase("o1-mini-2024-09-12", "o1-mini")]
    [TestCase("chatgpt-4o-latest", "chatgpt-4o")]
    [TestCase("gpt-3.5-turbo-16k", "gpt-3.5-turbo")]
    [TestCase("gpt-3.5-turbo-instruct", "gpt-3.5-turbo")]
    [TestCase("gpt-35-turbo", "gpt-35-turbo")]
    [TestCase("deepseek-r1-distill-llama-70b", "deepseek-r1")]
    [TestCase("magistral-medium-2506", "magistral")]
    [TestCase("qwq:32b", "qwq")]
    public void Find_MatchesTheLongestEntryFollowedByASeparator(string model, string entry) =>
        KnownModels.Find(model)!.Name.Should().Be(entry);

    [TestCase("")]
    [TestCase("/")]
    [TestCase("ft:")]
    [TestCase("openai/")]
    [TestCase("GPT-4o")]
    [TestCase("gpt-4o_mini")]
    [TestCase("o1.5")]
    [TestCase("gpt-4.1.2")]
    [TestCase("o3mini")]
    [TestCase("gpt-4o/extra")]
    [TestCase("text-embedding-3")]
    public void Find_NoEntryFollowedByASeparator_IsUnknown(string model) =>
        KnownModels.Find(model).Should().BeNull();

    [TestCase("qwen3-30b-a3b-thinking-2507", true)]
    [TestCase("Claude-Sonnet-Thinking", true)]
    [TestCase("my-R1-model", true)]
    [TestCase("llama-3.1-70b", false)]
    [TestCase("gpt-4o-r1-test", false)]
    [TestCase("mr1", false)]
    public void IsReasoning_UnknownNames_ByWhatTheNameSays(string model, bool expected) =>
        KnownModels.IsReasoning(model).Should().Be(expected);

    [Test]
    public void Find_OpenReasoningModels_HaveNoEncodingOrWindow()
    {
        ModelInfo info = KnownModels.Find("deepseek-reasoner")!;

        info.Encoding.Should().BeNull();
        info.ContextWindow.Should().BeNull();
        info.IsReasoning.Should().BeTrue();
    }

    [Test]
    public void Find_PointReleases_OnlyForFamiliesThatHaveThem()
    {
        KnownModels.Find("gpt-5.2")!.Name.Should().Be("gpt-5");
        KnownModels.Find("gpt-4.7").Should().BeNull("gpt-4 has no point releases");
        KnownModels.Find("o3.1").Should().BeNull();
    }
}
