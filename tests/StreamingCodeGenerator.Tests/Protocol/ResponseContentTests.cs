using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>What a successful body holds, by its content type and by its first bytes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ResponseContentTests
{
    [TestCase(null, "EventStream")]
    [TestCase("", "EventStream")]
    [TestCase("   ", "EventStream")]
    [TestCase("text/event-stream", "EventStream")]
    [TestCase("TEXT/Event-Stream", "EventStream")]
    [TestCase("text/event-stream; charset=utf-8", "EventStream")]
    [TestCase("  text/event-stream  ;charset=utf-8", "EventStream")]
    [TestCase("application/json", "Json")]
    [TestCase("Application/JSON; charset=utf-8", "Json")]
    [TestCase("application/problem+json", "Json")]
    [TestCase("application/vnd.api+JSON;v=1", "Json")]
    [TestCase("text/html", "Other")]
    [TestCase("text/html; charset=utf-8", "Other")]
    [TestCase("text/plain", "Other")]
    [TestCase("application/octet-stream", "Other")]
    [TestCase("application/x-ndjson", "Other")]
    [TestCase("application/jsonl", "Other")]
    [TestCase("text/event-stream-ish", "Other")]
    public void Classify_ContentType_IsItsKind(string? contentType, string expected) =>
        ResponseContent.Classify(contentType).ToString().Should().Be(expected);

    [TestCase("data: {\"choices\":[]}\n\n")]
    [TestCase("data:{}")]
    [TestCase("event: message\n")]
    [TestCase("id: 1\n")]
    [TestCase("retry: 3000\n")]
    [TestCase(": keep-alive\n")]
    [TestCase(":")]
    [TestCase("\n\r\n\rdata: x")]
    [TestCase("\r\n: comment")]
    public void LooksLikeEventStream_AFieldOrCommentAfterBlankLines_IsTrue(string head)
    {
        ResponseContent.LooksLikeEventStream(Encoding.UTF8.GetBytes(head)).Should().BeTrue();
        ResponseContent.LooksLikeEventStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(head)]).Should().BeTrue("after a byte order mark too");
    }

    [TestCase("<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>")]
    [TestCase("<html>")]
    [TestCase("{\"choices\":[]}")]
    [TestCase("OK")]
    [TestCase("")]
    [TestCase("\n\n")]
    [TestCase("dat")]
    [TestCase("Data: x")]
    [TestCase(" data: x")]
    [TestCase("\tdata: x")]
    [TestCase("event-stream")]
    public void LooksLikeEventStream_AnythingElse_IsFalse(string head)
    {
        ResponseContent.LooksLikeEventStream(Encoding.UTF8.GetBytes(head)).Should().BeFalse();
        ResponseContent.LooksLikeEventStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(head)]).Should().BeFalse();
    }

    [Test]
    public void LooksLikeEventStream_ByteOrderMarkAfterBlankLines_IsFalse() =>
        ResponseContent.LooksLikeEventStream([(byte)'\n', 0xEF, 0xBB, 0xBF, .. "data: x"u8]).Should().BeFalse();
}
