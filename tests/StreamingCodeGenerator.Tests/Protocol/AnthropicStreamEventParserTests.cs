using static StreamingCodeGeneration.Tests.Protocol.ProviderEventDescription;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// The Messages API event parser behind <see cref="System.Net.ServerSentEvents.SseParser"/>: every shape in the table
/// gives the same parsed event through every line ending and through a stream that returns one byte per read.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AnthropicStreamEventParserTests
{
    private const string Key = "sk-ant-api03-ANTHROPICKEY0123456789abcdef";

    public static readonly ProviderEventCase[] Cases =
    [
        new("MessageStart", "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}",
            "id=msg_1 model=claude-sonnet-4-5"),
        new("TextBlockStartEmpty", "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "(nothing)"),
        new("TextBlockStartWithText", "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Pre\"}}",
            "content=\"Pre\""),
        new("TextBlockStartTextFirst", "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"text\":\"First\",\"type\":\"text\"}}",
            "content=\"First\""),
        new("ThinkingBlockStartWithThinking", "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"Hmm\",\"signature\":\"\"}}",
            "reasoning=\"Hmm\""),
        new("ToolUseBlockStart", "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}",
            "(nothing)"),
        new("ServerToolResultWithTextInside", "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"advisor_tool_result\",\"content\":{\"type\":\"advisor_result\",\"text\":\"not the answer\"}}}",
            "(nothing)"),
        new("TextDelta", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
            "content=\"Hello\""),
        new("TextDeltaTextBeforeType", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\":\"p\",\"type\":\"text_delta\"}}",
            "content=\"p\""),
        new("TextDeltaPaddedWithSpaces", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"I\"}       }",
            "content=\"I\""),
        new("TextDeltaNonAscii", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"925 ÷ 5 = 185 — 👋\"}}",
            "content=\"925 \\u00F7 5 = 185 \\u2014 \\uD83D\\uDC4B\""),
        new("LoneSurrogateInTextDelta", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\\ud83d\"}}",
            "content=\"\\uD83D\"(ill-formed)"),
        new("ThinkingDelta", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me\"}}",
            "reasoning=\"Let me\""),
        new("SignatureDelta", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}",
            "(nothing)"),
        new("InputJsonDelta", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"Paris\"}}",
            "(nothing)"),
        new("CitationsDelta", "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"web_search_result_location\",\"cited_text\":\"quoted\",\"url\":\"https://example.com\",\"title\":\"t\"}}}",
            "(nothing)"),
        new("ContentBlockStopIsNotParsed", "content_block_stop", "not json",
            "(nothing)"),
        new("MessageDelta", "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":6}}",
            "finish=end_turn usage=0/6/6"),
        new("MessageDeltaWithCache", "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"stop_details\":null},\"usage\":{\"input_tokens\":6,\"cache_creation_input_tokens\":3337,\"cache_read_input_tokens\":6289,\"output_tokens\":198,\"output_tokens_details\":{\"thinking_tokens\":0},\"server_tool_use\":{\"web_search_requests\":0}}}",
            "finish=end_turn usage=9632/198/9830 cached=6289 reasoning-tokens=0"),
        new("MessageDeltaMaxTokens", "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":124}    }",
            "finish=max_tokens usage=0/124/124"),
        new("MessageDeltaRefusal", "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_sequence\":null,\"stop_details\":{\"type\":\"refusal\",\"category\":\"cyber\",\"explanation\":\"This request was refused due to policy.\"}},\"usage\":{\"output_tokens\":0}}",
            "refusal=\"This request was refused due to policy.\" finish=refusal usage=0/0/0"),
        new("MessageDeltaWithoutUsage", "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}",
            "finish=tool_use"),
        new("MessageStop", "message_stop", "{\"type\":\"message_stop\"}",
            "terminal"),
        new("Ping", "ping", "{\"type\": \"ping\"}",
            "keep-alive"),
        new("PingWithoutEventLine", null, "{\"type\": \"ping\"}",
            "keep-alive"),
        new("ErrorOverloaded", "error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            "error=Overloaded|overloaded_error|-|-"),
        new("ErrorWithSpaces", "error", "{\"type\": \"error\", \"error\": {\"type\": \"api_error\", \"message\": \"Internal server error\"}}",
            "error=Internal server error|api_error|-|-"),
        new("ErrorPlainText", "error", "stream timeout",
            "error=stream timeout|-|-|-"),
        new("TextDeltaWithoutEventLine", null, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"bare\"}}",
            "content=\"bare\""),
        new("MessageStopWithoutEventLine", null, "{\"type\":\"message_stop\"}",
            "terminal"),
        new("UnknownFutureEvent", "message_annotation", "{\"type\":\"message_annotation\",\"text\":\"not the answer\"}",
            "(nothing)"),
    ];

    [Test]
    public void Parse_EveryCaseThroughEveryLineEndingAndOneByteReads_GivesTheTableResult(
        [ValueSource(nameof(Cases))] ProviderEventCase eventCase,
        [ValueSource(typeof(ProviderEventDescription), nameof(LineEndings))] string newline,
        [Values] bool oneBytePerRead)
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default);

        List<string> parsed = ParseAll(Body(newline, [(eventCase.EventType, eventCase.Data)]), oneBytePerRead, parser.Parse);

        parsed.Should().Equal(eventCase.Expected);
    }

    [Test]
    public void Parse_MessageDelta_UpdatesMessageStartsUsageFieldByField()
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default);

        parser.Parse("message_start", Utf8("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":7,\"cache_read_input_tokens\":55096,\"output_tokens\":1}}}"))
            .Usage.Should().BeNull("message_start's usage is not final");
        Describe(parser.Parse("message_delta", Utf8("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\"usage\":{\"output_tokens\":30}}")))
            .Should().Be("usage=55203/30/55233 cached=55096", "a field message_delta leaves out keeps message_start's value");
        Describe(parser.Parse("message_delta", Utf8("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"input_tokens\":181,\"cache_read_input_tokens\":0,\"output_tokens\":8}}")))
            .Should().Be("finish=end_turn usage=188/8/196 cached=0", "the last report wins, even when it is lower");
    }

    [Test]
    public void Parse_ThinkingBlockAfterReasoning_StartsWithABlankLine()
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default);
        byte[] thinkingStart = Utf8("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");

        Describe(parser.Parse("content_block_start", thinkingStart)).Should().Be("(nothing)");
        Describe(parser.Parse("content_block_delta", Utf8("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"one\"}}")))
            .Should().Be("reasoning=\"one\"");
        Describe(parser.Parse("content_block_start", thinkingStart)).Should().Be("reasoning=\"\\u000A\\u000A\"");
        Describe(parser.Parse("content_block_start", Utf8("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"two\"}}")))
            .Should().Be("reasoning=\"\\u000A\\u000Atwo\"");
    }

    [Test]
    public void NeedIdAndNeedModel_Cleared_IdAndModelAreNotRead()
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default);
        byte[] data = Utf8("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-opus-4-5\"}}");

        Describe(parser.Parse("message_start", data)).Should().Be("id=msg_1 model=claude-opus-4-5");
        parser.NeedId = false;
        Describe(parser.Parse("message_start", data)).Should().Be("model=claude-opus-4-5");
        parser.NeedModel = false;
        Describe(parser.Parse("message_start", data)).Should().Be("(nothing)");
    }

    [Test]
    public void Parse_ServerStringsEchoingTheKey_AreRedacted_AnswerTextIsNot()
    {
        var parser = new AnthropicStreamEventParser(new SecretRedactor(Key));

        ProviderStreamEvent error = parser.Parse("error", Utf8("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key " + Key + "\"}}"));
        ProviderStreamEvent start = parser.Parse("message_start", Utf8("{\"type\":\"message_start\",\"message\":{\"id\":\"" + Key + "\",\"model\":\"" + Key + "\"}}"));
        ProviderStreamEvent delta = parser.Parse("message_delta", Utf8("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_details\":{\"explanation\":\"" + Key + "\"}}}"));
        ProviderStreamEvent text = parser.Parse("content_block_delta", Utf8("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + Key + "\"}}"));

        error.Error.Should().Be(new ApiError("invalid x-api-key ***", "authentication_error", null, null));
        start.Id.Should().Be("***");
        start.Model.Should().Be("***");
        delta.Refusal.Should().Be("***");
        text.Content.Should().Be(Key, "the answer the caller receives is never altered");
    }

    [TestCase("content_block_delta", "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":", TestName = "Parse_TruncatedJson_ThrowsSseProtocolException")]
    [TestCase("message_delta", "[1,2]", TestName = "Parse_ArrayNotObject_ThrowsSseProtocolException")]
    [TestCase("message_stop", "{} {}", TestName = "Parse_ContentAfterTheObject_ThrowsSseProtocolException")]
    [TestCase("message", "{\"index\":0}", TestName = "Parse_NoEventTypeAnywhere_ThrowsSseProtocolException")]
    [TestCase("message_start", "", TestName = "Parse_EmptyData_ThrowsSseProtocolException")]
    public void Parse_NotAMessagesEvent_ThrowsSseProtocolExceptionWithTheOffendingData(string eventType, string data)
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default);

        Action parse = () => parser.Parse(eventType, Utf8(data));

        parse.Should().Throw<SseProtocolException>().Which.OffendingLine.Should().Be(data.Length == 0 ? null : data);
    }
}
