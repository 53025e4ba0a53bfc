namespace StreamingCodeGeneration.Samples.Console.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class CommandLineValuesTests
{
    [TestCase("https://alice:secret@host/v1", "https://…@host/v1")]
    [TestCase("htp://alice:secret@host", "htp://…@host")]
    [TestCase("http//alice:pw@x", "…@x")]
    [TestCase("alice@host", "…@host")]
    [TestCase("http://host/v1", "http://host/v1")]
    [TestCase("", "")]
    [TestCase("://", "://")]
    [TestCase("@", "…@")]
    public void WithoutUserInfo_HidesEverythingBeforeTheLastAt(string value, string shown)
    {
        CommandLineValues.WithoutUserInfo(value).Should().Be(shown);
    }

    [TestCase("abc", "'abc'")]
    [TestCase("\u001b]0;x\u0007", "'^[]0;x^G'")]
    [TestCase("two\nlines\r", "'two^Jlines^M'")]
    [TestCase("0123456789012345678901234567890123456789012345", "'0123456789012345678901234567890123456789…'")]
    public void Quote_ValueForAMessage_IsOneShortVisibleLine(string value, string quoted)
    {
        CommandLineValues.Quote(value).Should().Be(quoted);
    }

    [Test]
    public void Quote_LongValueEndingInASurrogatePairAtTheCut_KeepsThePairWhole()
    {
        string value = new string('a', 39) + "🎉🎉";

        CommandLineValues.Quote(value).Should().Be("'" + new string('a', 39) + "…'");
    }

    [TestCase("0.5", 0.5)]
    [TestCase("30", 30.0)]
    [TestCase(".25", 0.25)]
    [TestCase("86400", 86400.0)]
    public void TryParseSeconds_Decimal_IsRead(string text, double seconds)
    {
        CommandLineValues.TryParseSeconds(text, 0.001, 86400, out TimeSpan time).Should().BeTrue();
        time.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [TestCase("1e309")]
    [TestCase("NaN")]
    [TestCase("-1")]
    [TestCase("0,5")]
    [TestCase("86400.5")]
    [TestCase("0.0001")]
    [TestCase("99999999999999999999999")]
    public void TryParseSeconds_OutOfRangeOrOddSpelling_IsRefused(string text)
    {
        CommandLineValues.TryParseSeconds(text, 0.001, 86400, out _).Should().BeFalse();
    }
}
