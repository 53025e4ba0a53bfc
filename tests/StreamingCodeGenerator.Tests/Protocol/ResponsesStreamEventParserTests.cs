using static StreamingCodeGeneration.Tests.Protocol.ProviderEventDescription;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// The Responses API event parser behind <see cref="System.Net.ServerSentEvents.SseParser"/>: every shape in the table
/// gives the same parsed event through every line ending and through a stream that returns one byte per read.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ResponsesStreamEventParserTests
{
    private const string Key = "sk-proj-RESPONSESKEY0123456789abcdef";

    public static readonly ProviderEventCase[] Cases =
    [
        new("TextDelta", "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\",\"logprobs\":[],\"obfuscation\":\"zb2VZr3uMaj\"}",
            "content=\"Hello\""),
        new("TextDeltaWithoutEventLine", null, "{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}",
            "content=\"Hi\""),
        new("TextDeltaWithoutEventLineTypeLast", null, "{\"delta\":\"late\",\"item_id\":\"m\",\"type\":\"response.output_text.delta\"}",
            "content=\"late\""),
        new("TextDeltaUnderTheDefaultEventName", "message", "{\"type\":\"response.output_text.delta\",\"delta\":\"m\"}",
            "content=\"m\""),
        new("EmptyTextDelta", "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"\"}",
            "(nothing)"),
        new("NullTextDelta", "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":null}",
            "(nothing)"),
        new("EscapedTextDelta", "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"a\\n\\t\\\"q\\\" \\u00e9 \\ud83d\\ude00\"}",
            "content=\"a\\u000A\\u0009\\u0022q\\u0022 \\u00E9 \\uD83D\\uDE00\""),
        new("LoneHighSurrogateInTextDelta", "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"x\\ud83d\"}",
            "content=\"x\\uD83D\"(ill-formed)"),
        new("InvalidUtf8InTextDelta", "response.output_text.delta", [.. Utf8("{\"type\":\"response.output_text.delta\",\"delta\":\"a"), 0xFF, .. Utf8("b\"}")],
            "content=\"a\\uFFFDb\""),
        new("RefusalDelta", "response.refusal.delta", "{\"type\":\"response.refusal.delta\",\"sequence_number\":5,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"I can't\"}",
            "refusal=\"I can't\""),
        new("ReasoningSummaryDelta", "response.reasoning_summary_text.delta", "{\"type\":\"response.reasoning_summary_text.delta\",\"item_id\":\"rs_1\",\"output_index\":0,\"summary_index\":0,\"delta\":\"**Planning**\"}",
            "reasoning=\"**Planning**\""),
        new("ReasoningTextDelta", "response.reasoning_text.delta", "{\"type\":\"response.reasoning_text.delta\",\"item_id\":\"rs_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"We need\"}",
            "reasoning=\"We need\""),
        new("LoneSurrogateInReasoning", "response.reasoning_text.delta", "{\"type\":\"response.reasoning_text.delta\",\"delta\":\"\\udc00\"}",
            "reasoning=\"\\uDC00\"(ill-formed)"),
        new("FirstSummaryPartAdded", "response.reasoning_summary_part.added", "{\"type\":\"response.reasoning_summary_part.added\",\"item_id\":\"rs_1\",\"output_index\":0,\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}}",
            "(nothing)"),
        new("Created", "response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"error\":null,\"incomplete_details\":null,\"model\":\"gpt-5-codex\",\"output\":[],\"usage\":null}}",
            "id=resp_1 model=gpt-5-codex"),
        new("Queued", "response.queued", "{\"type\":\"response.queued\",\"response\":{\"id\":\"resp_2\",\"status\":\"queued\"}}",
            "id=resp_2"),
        new("Completed", "response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"model\":\"gpt-5\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello\"}]}],\"usage\":{\"input_tokens\":3727,\"input_tokens_details\":{\"cached_tokens\":3200},\"output_tokens\":347,\"output_tokens_details\":{\"reasoning_tokens\":128},\"total_tokens\":4074}}}",
            "id=resp_1 model=gpt-5 finish=completed usage=3727/347/4074 cached=3200 reasoning-tokens=128 terminal"),
        new("CompletedWithoutTotalOrDetails", "response.completed", "{\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}}",
            "finish=completed usage=5/7/12 terminal"),
        new("CompletedWithoutResponse", "response.completed", "{\"type\":\"response.completed\"}",
            "finish=completed terminal"),
        new("IncompleteMaxOutputTokens", "response.incomplete", "{\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":16,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":16,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":32}}}",
            "finish=max_output_tokens usage=16/16/32 cached=0 reasoning-tokens=0 terminal"),
        new("IncompleteContentFilter", "response.incomplete", "{\"type\":\"response.incomplete\",\"response\":{\"incomplete_details\":{\"reason\":\"content_filter\"}}}",
            "finish=content_filter terminal"),
        new("IncompleteWithoutDetails", "response.incomplete", "{\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":null}}",
            "finish=incomplete terminal"),
        new("Failed", "response.failed", "{\"type\":\"response.failed\",\"response\":{\"id\":\"resp_3\",\"status\":\"failed\",\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Request too large\"},\"usage\":null}}",
            "id=resp_3 error=Request too large|-|rate_limit_exceeded|-"),
        new("FailedWithoutError", "response.failed", "{\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":null}}",
            "error=The response failed (response.failed) without saying why.|-|-|-"),
        new("ErrorEventNested", "error", "{\"type\":\"error\",\"sequence_number\":2,\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\",\"message\":\"You exceeded your current quota.\",\"param\":null}}",
            "error=You exceeded your current quota.|insufficient_quota|insufficient_quota|-"),
        new("ErrorEventTopLevel", "error", "{\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":\"Something went wrong\",\"param\":null,\"sequence_number\":1}",
            "error=Something went wrong|-|ERR_SOMETHING|-"),
        new("ErrorEventWithoutEventLine", null, "{\"type\":\"error\",\"error\":{\"type\":\"server_error\",\"message\":\"boom\"}}",
            "error=boom|server_error|-|-"),
        new("ErrorEventPlainText", "error", "upstream connect error or disconnect/reset before headers",
            "error=upstream connect error or disconnect/reset before headers|-|-|-"),
        new("SkippedEventIsNotParsed", "response.function_call_arguments.delta", "not json at all",
            "(nothing)"),
        new("SkippedDoneEventRepeatingTheText", "response.output_text.done", "{\"type\":\"response.output_text.done\",\"text\":\"Hello\"}",
            "(nothing)"),
        new("SkippedTypeWithoutEventLine", null, "{\"type\":\"response.output_item.added\",\"item\":{\"type\":\"message\",\"content\":[]}}",
            "(nothing)"),
        new("UnknownFutureEvent", "response.something_new.delta", "{\"type\":\"response.something_new.delta\",\"delta\":\"not the answer\"}",
            "(nothing)"),
        new("Done", null, "[DONE]",
            "done"),
    ];

    [Test]
    public void Parse_EveryCaseThroughEveryLineEndingAndOneByteReads_GivesTheTableResult(
        [ValueSource(nameof(Cases))] ProviderEventCase eventCase,
        [ValueSource(typeof(ProviderEventDescription), nameof(LineEndings))] string newline,
        [Values] bool oneBytePerRead)
    {
        var parser = new ResponsesStreamEventParser(SecretRedactor.Default);

        List<string> parsed = ParseAll(Body(newline, [(eventCase.EventType, eventCase.Data)]), oneBytePerRead, parser.Parse);

        parsed.Should().Equal(eventCase.Expected);
    }

    [Test]
    public void Parse_SummaryPartsAfterReasoning_StartWithABlankLine()
    {
        var parser = new ResponsesStreamEventParser(SecretRedactor.Default);
        byte[] partAdded = Utf8("{\"type\":\"response.reasoning_summary_part.added\",\"summary_index\":0}");

        Describe(parser.Parse("response.reasoning_summary_part.added", partAdded)).Should().Be("(nothing)", "nothing came before the first part");
        Describe(parser.Parse("response.reasoning_summary_text.delta", Utf8("{\"type\":\"response.reasoning_summary_text.delta\",\"delta\":\"**One**\"}")))
            .Should().Be("reasoning=\"**One**\"");
        Describe(parser.Parse("response.reasoning_summary_part.added", partAdded)).Should().Be("reasoning=\"\\u000A\\u000A\"");
    }

    [Test]
    public void NeedIdAndNeedModel_Cleared_IdAndModelAreNotRead()
    {
        var parser = new ResponsesStreamEventParser(SecretRedactor.Default);
        byte[] data = Utf8("{\"type\":\"response.in_progress\",\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-5\"}}");

        Describe(parser.Parse("response.in_progress", data)).Should().Be("id=resp_1 model=gpt-5");
        parser.NeedId = false;
        Describe(parser.Parse("response.in_progress", data)).Should().Be("model=gpt-5");
        parser.NeedModel = false;
        Describe(parser.Parse("response.in_progress", data)).Should().Be("(nothing)");
    }

    [Test]
    public void Parse_ServerStringsEchoingTheKey_AreRedacted_AnswerTextIsNot()
    {
        var parser = new ResponsesStreamEventParser(new SecretRedactor(Key));

        ProviderStreamEvent error = parser.Parse("error", Utf8("{\"type\":\"error\",\"error\":{\"type\":\"" + Key + "\",\"code\":\"" + Key + "\",\"message\":\"Incorrect API key provided: " + Key + "\",\"param\":\"" + Key + "\"}}"));
        ProviderStreamEvent failed = parser.Parse("response.failed", Utf8("{\"type\":\"response.failed\",\"response\":{\"id\":\"" + Key + "\",\"model\":\"" + Key + "\",\"error\":{\"code\":\"x\",\"message\":\"" + Key + "\"}}}"));
        ProviderStreamEvent incomplete = parser.Parse("response.incomplete", Utf8("{\"type\":\"response.incomplete\",\"response\":{\"incomplete_details\":{\"reason\":\"" + Key + "\"}}}"));
        ProviderStreamEvent refusal = parser.Parse("response.refusal.delta", Utf8("{\"type\":\"response.refusal.delta\",\"delta\":\"" + Key + "\"}"));
        ProviderStreamEvent text = parser.Parse("response.output_text.delta", Utf8("{\"type\":\"response.output_text.delta\",\"delta\":\"" + Key + "\"}"));

        error.Error.Should().Be(new ApiError("Incorrect API key provided: ***", "***", "***", "***"));
        failed.Error!.Message.Should().Be("***");
        failed.Id.Should().Be("***");
        failed.Model.Should().Be("***");
        incomplete.FinishReason.Should().Be("***");
        refusal.Refusal.Should().Be("***");
        text.Content.Should().Be(Key, "the answer the caller receives is never altered");
    }

    [TestCase("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":", TestName = "Parse_TruncatedJson_ThrowsSseProtocolException")]
    [TestCase("response.completed", "[1,2]", TestName = "Parse_ArrayNotObject_ThrowsSseProtocolException")]
    [TestCase("response.output_text.delta", "{} {}", TestName = "Parse_ContentAfterTheObject_ThrowsSseProtocolException")]
    [TestCase("message", "{\"delta\":\"no type\"}", TestName = "Parse_NoEventTypeAnywhere_ThrowsSseProtocolException")]
    [TestCase("message", "not json", TestName = "Parse_UnnamedPlainText_ThrowsSseProtocolException")]
    [TestCase("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"x\" \"y\"}", TestName = "Parse_MissingComma_ThrowsSseProtocolException")]
    public void Parse_NotAResponsesEvent_ThrowsSseProtocolExceptionWithTheOffendingData(string eventType, string data)
    {
        var parser = new ResponsesStreamEventParser(SecretRedactor.Default);

        Action parse = () => parser.Parse(eventType, Utf8(data));

        parse.Should().Throw<SseProtocolException>().Which.OffendingLine.Should().Be(data);
    }

    [Test]
    public void Parse_MalformedDataEchoingTheKey_OffendingLineAndMessageAreRedacted()
    {
        var parser = new ResponsesStreamEventParser(new SecretRedactor(Key));

        Action parse = () => parser.Parse("response.output_text.delta", Utf8("{\"delta\": " + Key + "}"));

        SseProtocolException thrown = parse.Should().Throw<SseProtocolException>().Which;
        thrown.OffendingLine.Should().NotContain(Key).And.Contain("***");
        thrown.Message.Should().NotContain(Key);
    }
}
