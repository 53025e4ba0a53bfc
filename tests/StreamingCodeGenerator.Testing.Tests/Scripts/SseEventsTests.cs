namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <summary>The events are byte-for-byte those our own suite's Events class wrote, so migrating it changes no test.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SseEventsTests
{
    private const string Head = "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",";

    [Test]
    public void Role_Always_IsTheAssistantRoleChunk() =>
        SseEvents.Role().Should().Be("data: " + Head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");

    [Test]
    public void Content_TextWithQuotesAndLineBreaks_IsEscapedJson() =>
        SseEvents.Content("say \"hi\"\n\tok\\").Should().Be("data: " + Head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"say \\\"hi\\\"\\n\\tok\\\\\"},\"finish_reason\":null}]}\n\n");

    [Test]
    public void Content_NonAsciiAndControlCharacters_NonAsciiStaysRawControlIsEscaped() =>
        SseEvents.Content("é😀<>&\u0001").Should().Contain("\"content\":\"é😀<>&\\u0001\"");

    [Test]
    public void Finish_Reason_IsTheEmptyDeltaChunk() =>
        SseEvents.Finish("length").Should().Be("data: " + Head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n");

    [Test]
    public void Usage_Counts_HasEmptyChoicesAndTheTotal() =>
        SseEvents.Usage(12, 3).Should().Be("data: " + Head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n");

    [Test]
    public void ErrorEvent_Message_IsAnErrorObjectWithNullCode() =>
        SseEvents.ErrorEvent("boom").Should().Be("data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}\n\n");

    [Test]
    public void ErrorJson_AllFields_InOpenAIOrder() =>
        SseEvents.ErrorJson("too long", "invalid_request_error", "context_length_exceeded", "messages")
            .Should().Be("{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}");

    [Test]
    public void ErrorJson_OnlyAMessage_OtherFieldsAreNull() =>
        SseEvents.ErrorJson("x").Should().Be("{\"error\":{\"message\":\"x\",\"type\":null,\"param\":null,\"code\":null}}");

    [Test]
    public void StandardAnswer_Pieces_RoleContentsFinishUsageDone() =>
        SseEvents.StandardAnswer("a", "b").Should().Equal(
            SseEvents.Role(),
            SseEvents.Content("a"),
            SseEvents.Content("b"),
            SseEvents.Finish(),
            SseEvents.Usage(12, 2),
            "data: [DONE]\n\n");

    [Test]
    public void Data_Json_IsOneDataLine() => SseEvents.Data("{}").Should().Be("data: {}\n\n");
}
