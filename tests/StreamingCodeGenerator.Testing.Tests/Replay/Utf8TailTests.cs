namespace StreamingCodeGeneration.Testing.Tests.Replay;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class Utf8TailTests
{
    [TestCase("61 62", 0)]
    [TestCase("C3", 1)]
    [TestCase("C3 A9", 0)]
    [TestCase("E6", 1)]
    [TestCase("E6 97", 2)]
    [TestCase("E6 97 A5", 0)]
    [TestCase("F0", 1)]
    [TestCase("F0 9F 98", 3)]
    [TestCase("F0 9F 98 80", 0)]
    [TestCase("61 F0 9F", 2)]
    [TestCase("80 80 80 80", 0)]
    [TestCase("", 0)]
    public void IncompleteLength_Bytes_IsTheLengthOfAnUnfinishedLastCharacter(string hex, int expected)
    {
        byte[] bytes = hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        Utf8Tail.IncompleteLength(bytes).Should().Be(expected);
    }
}
