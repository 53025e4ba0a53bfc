using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>The parsing layer's signal: its message and offending data never carry a secret, and the data is bounded.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SseProtocolExceptionTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    [Test]
    public void Constructor_MessageAndDataEchoingTheKey_AreRedacted()
    {
        var inner = new InvalidOperationException("x");

        var exception = new SseProtocolException("bad data near " + Key, Encoding.UTF8.GetBytes("{\"k\":\"" + Key + "\""), new SecretRedactor(Key), inner);

        exception.Message.Should().Be("bad data near ***");
        exception.OffendingLine.Should().Be("{\"k\":\"***\"");
        exception.InnerException.Should().BeSameAs(inner);
    }

    [Test]
    public void Constructor_NoData_HasNoOffendingLine() =>
        new SseProtocolException("m", default, SecretRedactor.Default).OffendingLine.Should().BeNull();

    [Test]
    public void Constructor_HugeData_KeepsABoundedPrefix()
    {
        byte[] data = Encoding.UTF8.GetBytes(new string('x', 100_000));

        var exception = new SseProtocolException("m", data, SecretRedactor.Default);

        exception.OffendingLine.Should().HaveLength(MalformedResponseException.MaxOffendingLineLength * 4);
    }

    [Test]
    public void Constructor_InvalidUtf8Data_IsDecodedWithReplacements()
    {
        var exception = new SseProtocolException("m", [(byte)'a', 0xFF, (byte)'b'], SecretRedactor.Default);

        exception.OffendingLine.Should().Be("a\uFFFDb");
    }
}
