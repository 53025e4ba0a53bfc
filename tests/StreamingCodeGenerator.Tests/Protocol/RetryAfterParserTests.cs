namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>How long a server asks us to wait: <c>retry-after-ms</c>, then <c>Retry-After</c> as seconds or an HTTP date.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase("5", 5_000)]
    [TestCase("0", 0)]
    [TestCase("-0", 0)]
    [TestCase(" 7 ", 7_000)]
    [TestCase("1.5", 1_500)]
    [TestCase("0.25", 250)]
    [TestCase("2e1", 20_000)]
    public void Parse_Seconds_IsThatLong(string retryAfter, int expectedMs) =>
        RetryAfterParser.Parse(null, retryAfter, Now).Should().Be(TimeSpan.FromMilliseconds(expectedMs));

    [Test]
    public void Parse_HttpDateInTheFuture_IsTheTimeUntilThen() =>
        RetryAfterParser.Parse(null, "Thu, 01 Jan 2026 00:00:30 GMT", Now).Should().Be(TimeSpan.FromSeconds(30));

    [Test]
    public void Parse_HttpDateInThePast_IsZero() =>
        RetryAfterParser.Parse(null, "Wed, 31 Dec 2025 23:59:00 GMT", Now).Should().Be(TimeSpan.Zero);

    [Test]
    public void Parse_HttpDateNow_IsZero() =>
        RetryAfterParser.Parse(null, "Thu, 01 Jan 2026 00:00:00 GMT", Now).Should().Be(TimeSpan.Zero);

    [Test]
    public void Parse_IsoDateWithoutZone_IsUniversalTime() =>
        RetryAfterParser.Parse(null, "2026-01-01T00:01:00", Now).Should().Be(TimeSpan.FromMinutes(1));

    [Test]
    public void Parse_RetryAfterMs_WinsOverRetryAfter() =>
        RetryAfterParser.Parse("250", "10", Now).Should().Be(TimeSpan.FromMilliseconds(250));

    [Test]
    public void Parse_FractionalRetryAfterMs_IsKept() =>
        RetryAfterParser.Parse(" 12.5 ", null, Now).Should().Be(TimeSpan.FromMilliseconds(12.5));

    [TestCase("abc")]
    [TestCase("-5")]
    [TestCase("NaN")]
    [TestCase("")]
    public void Parse_UnusableRetryAfterMs_FallsBackToRetryAfter(string retryAfterMs) =>
        RetryAfterParser.Parse(retryAfterMs, "2", Now).Should().Be(TimeSpan.FromSeconds(2));

    [TestCase("-1")]
    [TestCase("-0.5")]
    [TestCase("NaN")]
    [TestCase("soon")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("5 seconds")]
    public void Parse_NegativeOrGarbageRetryAfter_IsNull(string retryAfter) =>
        RetryAfterParser.Parse(null, retryAfter, Now).Should().BeNull();

    [Test]
    public void Parse_NoHeaders_IsNull() =>
        RetryAfterParser.Parse(null, null, Now).Should().BeNull();

    [TestCase("99999999999999")]
    [TestCase("1e300")]
    [TestCase("Infinity")]
    [TestCase("31536000")]
    public void Parse_HugeSeconds_AreClampedToMaxWait(string retryAfter) =>
        RetryAfterParser.Parse(null, retryAfter, Now).Should().Be(RetryAfterParser.MaxWait);

    [TestCase("99999999999999999999")]
    [TestCase("1e300")]
    [TestCase("Infinity")]
    public void Parse_HugeMilliseconds_AreClampedToMaxWait(string retryAfterMs) =>
        RetryAfterParser.Parse(retryAfterMs, null, Now).Should().Be(RetryAfterParser.MaxWait);

    [Test]
    public void Parse_JustUnderMaxWait_IsNotClamped() =>
        RetryAfterParser.Parse(null, "31535999", Now).Should().Be(TimeSpan.FromSeconds(31_535_999));

    [Test]
    public void Parse_HttpDateBeyondMaxWait_IsClampedToMaxWait() =>
        RetryAfterParser.Parse(null, "Fri, 01 Jan 2100 00:00:00 GMT", Now).Should().Be(RetryAfterParser.MaxWait);

    [Test]
    public void MaxWait_IsOneYear() => RetryAfterParser.MaxWait.Should().Be(TimeSpan.FromDays(365));
}
