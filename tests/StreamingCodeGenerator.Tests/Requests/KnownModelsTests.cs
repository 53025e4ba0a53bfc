namespace StreamingCodeGeneration.Tests.Requests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class KnownModelsTests
{
    [TestCase("gpt-4o", 128_000)]
    [TestCase("gpt-4o-mini-2024-07-18", 128_000)]
    [TestCase("gpt-4", 8_192)]
    [TestCase("gpt-4-0613", 8_192)]
    [TestCase("gpt-4-turbo-2024-04-09", 128_000)]
    [TestCase("gpt-4.1-mini", 1_047_576)]
    [TestCase("gpt-5", 400_000)]
    [TestCase("gpt-5.1-codex", 400_000)]
    [TestCase("o1-mini-2024-09-12", 128_000)]
    [TestCase("o3-mini", 200_000)]
    [TestCase("ft:gpt-4o-mini:acme::abc", 128_000)]
    [TestCase("openai/gpt-4o", 128_000)]
    public void Find_KnownModel_UsesLongestMatchingName(string model, int expected) =>
        KnownModels.Find(model)!.ContextWindow.Should().Be(expected);

    [TestCase("gpt-4.7")]
    [TestCase("gpt-4x")]
    [TestCase("my-azure-deployment")]
    [TestCase("llama3")]
    public void Find_UnknownModel_HasNoWindow(string model) =>
        KnownModels.Find(model)?.ContextWindow.Should().BeNull();

    [TestCase("gpt-4o", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4-0613", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-4.1-nano", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-35-turbo", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-oss-120b", TokenizerEncoding.O200kBase)]
    [TestCase("text-embedding-3-small", TokenizerEncoding.Cl100kBase)]
    public void Find_KnownModel_HasItsEncoding(string model, TokenizerEncoding expected) =>
        KnownModels.Find(model)!.Encoding.Should().Be(expected);

    [TestCase("o3-mini", true)]
    [TestCase("o4-mini-2025-04-16", true)]
    [TestCase("gpt-5-mini", true)]
    [TestCase("gpt-5.1", true)]
    [TestCase("gpt-5-chat-latest", false)]
    [TestCase("deepseek-reasoner", true)]
    [TestCase("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", true)]
    [TestCase("qwq-32b", true)]
    [TestCase("gpt-4o", false)]
    [TestCase("llama3.1", false)]
    [TestCase("o10-custom", false)]
    public void IsReasoning_TellsModelsThatThinkSilently(string model, bool expected) =>
        KnownModels.IsReasoning(model).Should().Be(expected);
}
