namespace StreamingCodeGeneration.Tests.Requests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ModelContextWindowsTests
{
    [TestCase("gpt-4o", 128_000)]
    [TestCase("gpt-4o-mini-2024-07-18", 128_000)]
    [TestCase("gpt-4", 8_192)]
    [TestCase("gpt-4-0613", 8_192)]
    [TestCase("gpt-4-turbo-2024-04-09", 128_000)]
    [TestCase("gpt-4.1-mini", 1_047_576)]
    [TestCase("gpt-5", 400_000)]
    [TestCase("o1-mini-2024-09-12", 128_000)]
    [TestCase("o3-mini", 200_000)]
    [TestCase("ft:gpt-4o-mini:acme::abc", 128_000)]
    public void Find_KnownModel_UsesLongestMatchingName(string model, int expected) =>
        ModelContextWindows.Find(model).Should().Be(expected);

    [TestCase("gpt-4.7")]
    [TestCase("gpt-4x")]
    [TestCase("my-azure-deployment")]
    [TestCase("llama3")]
    public void Find_UnknownModel_HasNoWindow(string model) =>
        ModelContextWindows.Find(model).Should().BeNull();
}
