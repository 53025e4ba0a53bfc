using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// The chat event parser behind <see cref="SseParser"/>: every shape in the table gives the same parsed event through
/// every line ending and through a stream that returns one byte per read.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ChatStreamEventParserTests
{
    private const string Key = "sk-proj-PARSERKEY0123456789abcdef";

    private static readonly string[] LineEndings = ["\n", "\r\n", "\r"];

    /// <summary>The table: a name, the SSE event type (null for the default), the data bytes, and what they parse to.</summary>
    public static readonly EventCase[] Cases =
    [
        new("PlainContent", null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}",
            "id=chatcmpl-1 model=gpt-4o content=\"Hello\""),
        new("RoleChunk", null, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
            "id=chatcmpl-1"),
        new("UsageOnlyWithEmptyChoices", null, "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16,\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}",
            "id=c usage=12/4/16 cached=2 reasoning-tokens=1"),
        new("UsageWithoutTotal", null, "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}",
            "usage=5/7/12"),
        new("ChoicesNull", null, "{\"id\":\"c\",\"choices\":null,\"usage\":null}",
            "id=c"),
        new("FinishReason", null, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "finish=stop"),
        new("AzurePromptFilterFiltered", null, "{\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":true,\"severity\":\"high\"}}}]}",
            "filtered"),
        new("AzurePromptFilterClean", null, "{\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}",
            "(nothing)"),
        new("AzureContentFilterResultsFiltered", null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"content_filter_results\":{\"self_harm\":{\"filtered\":true,\"severity\":\"medium\"}},\"finish_reason\":\"content_filter\"}]}",
            "content=\"x\" finish=content_filter filtered"),
        new("ContentPartArray", null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x\"}},\"b\",{\"type\":\"output_text\",\"text\":\"c\"}]}}]}",
            "content=\"abc\""),
        new("MistralThinkingParts", null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"Let me \"},{\"type\":\"text\",\"text\":\"think\"}]},{\"type\":\"text\",\"text\":\"Answer\"}]}}]}",
            "content=\"Answer\" reasoning=\"Let me think\""),
        new("ReasoningContent", null, "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"step 1\"}}]}",
            "reasoning=\"step 1\""),
        new("Reasoning", null, "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"step 2\"}}]}",
            "reasoning=\"step 2\""),
        new("GroqUsage", null, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}}",
            "finish=stop usage=3/5/8"),
        new("UsageWinsOverGroqUsage", null, "{\"x_groq\":{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}},\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":9,\"total_tokens\":18}}",
            "usage=9/9/18"),
        new("ErrorObject", null, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
            "error=The server had an error|server_error|-|-"),
        new("ErrorWithNumbersAsCodeAndType", null, "{\"error\":{\"message\":\"m\",\"type\":7,\"code\":500,\"param\":1.5}}",
            "error=m|7|500|1.5"),
        new("ErrorAsString", null, "{\"error\":\"Model overloaded\"}",
            "error=Model overloaded|-|-|-"),
        new("EventNamedErrorWithErrorObject", "error", "{\"error\":{\"message\":\"boom\",\"code\":\"overloaded\"}}",
            "error=boom|-|overloaded|-"),
        new("EventNamedErrorWithMessageAndNumericCode", "error", "{\"message\":\"busy\",\"code\":503}",
            "error=busy|-|503|-"),
        new("EventNamedErrorWithPlainText", "error", "upstream connect error",
            "error=upstream connect error|-|-|-"),
        new("Done", null, "[DONE]",
            "done"),
        new("EscapedPropertyNames", null, "{\"\\u0063hoices\":[{\"\\u0069ndex\":0,\"\\u0064elta\":{\"\\u0063ontent\":\"esc\",\"reasoning\\u005fcontent\":\"r\"},\"finish\\u005Freason\":\"stop\"}],\"\\u0069d\":\"x\"}",
            "id=x content=\"esc\" reasoning=\"r\" finish=stop"),
        new("EscapedContent", null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\n\\t\\\"q\\\"\\\\ \\u00e9 \\ud83d\\ude00\"}}]}",
            "content=\"a\\u000A\\u0009\\u0022q\\u0022\\u005C \\u00E9 \\uD83D\\uDE00\""),
        new("LoneHighSurrogateAtEnd", null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\ud83d\"}}]}",
            "content=\"a\\uD83D\"(ill-formed)"),
        new("LoneLowSurrogateAtStart", null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ude00b\"}}]}",
            "content=\"\\uDE00b\"(ill-formed)"),
        new("LoneSurrogateInReasoning", null, "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"\\uD83D\"}}]}",
            "reasoning=\"\\uD83D\"(ill-formed)"),
        new("InvalidUtf8", null, Utf8("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a"), [0xFF], Utf8("b\"}}]}"),
            "content=\"a\\uFFFDb\""),
        new("InvalidUtf8InEscapedString", null, Utf8("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\n"), [0xC3], Utf8("x\"}}]}"),
            "content=\"\\u000A\\uFFFDx\""),
        new("OnlyChoiceZeroIsTheAnswer", null, "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}",
            "content=\"mine\""),
        new("NonStreamedMessage", null, "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"whole\"},\"finish_reason\":\"stop\"}]}",
            "id=c content=\"whole\" finish=stop"),
        new("Refusal", null, "{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't\"}}]}",
            "refusal=\"I can't\""),
    ];

    [Test]
    public void Parse_EveryCaseThroughEveryLineEndingAndOneByteReads_GivesTheTableResult(
        [ValueSource(nameof(Cases))] EventCase eventCase,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool oneBytePerRead)
    {
        byte[] body = Sse(newline, eventCase);

        List<string> parsed = ParseAll(body, oneBytePerRead);

        parsed.Should().Equal(eventCase.Expected, "done");
    }

    [Test]
    public void Parse_WholeTableInOneStream_SameResultsForEveryLineEndingAndReadSize()
    {
        string[] expected = [.. Cases.Select(c => c.Expected), "done"];
        var results = new List<string>();
        foreach (string newline in LineEndings)
        {
            foreach (bool oneByte in new[] { false, true })
            {
                List<string> parsed = ParseAll(Sse(newline, Cases), oneByte);
                parsed.Should().Equal(expected, "newline {0} one byte per read {1}", Escape(newline), oneByte);
                results.Add(string.Join("\n", parsed));
            }
        }

        results.Distinct().Should().ContainSingle();
    }

    [Test]
    public void Parse_EventWithCommentsIdAndRetryFields_IgnoresThem()
    {
        byte[] body = Encoding.UTF8.GetBytes(": keep-alive\nid: 7\nretry: 1000\ndata:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n");

        ParseAll(body, oneBytePerRead: true).Should().Equal("content=\"x\"");
    }

    [Test]
    public void Parse_ErrorStringWithSiblingCode_KeepsTheCodeAsAnErrorNamedEventDoes()
    {
        // The same body parses differently by whether the SSE event is named "error": ApiError.TryParseJson reads the
        // sibling "code", the data-event path reads only the value of "error".
        var parser = new ChatStreamEventParser(SecretRedactor.Default);
        byte[] data = Utf8("{\"error\":\"Invalid request\",\"code\":400}");

        ChatStreamEvent named = parser.Parse("error", data);
        ChatStreamEvent unnamed = parser.Parse("message", data);

        named.Error!.Code.Should().Be("400");
        unnamed.Error.Should().Be(named.Error);
    }

    [Test]
    public void NeedIdAndNeedModel_Cleared_IdAndModelAreNotRead()
    {
        var parser = new ChatStreamEventParser(SecretRedactor.Default);
        byte[] data = Utf8("{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");

        parser.NeedId.Should().BeTrue();
        parser.NeedModel.Should().BeTrue();
        Describe(parser.Parse("message", data)).Should().Be("id=chatcmpl-1 model=gpt-4o content=\"x\"");

        parser.NeedId = false;
        Describe(parser.Parse("message", data)).Should().Be("model=gpt-4o content=\"x\"");

        parser.NeedModel = false;
        Describe(parser.Parse("message", data)).Should().Be("content=\"x\"");

        parser.NeedId = true;
        Describe(parser.Parse("message", data)).Should().Be("id=chatcmpl-1 content=\"x\"");
    }

    [Test]
    public void NeedIdAndNeedModel_EmptyOrNonStringValues_AreNotRead()
    {
        var parser = new ChatStreamEventParser(SecretRedactor.Default);

        Describe(parser.Parse("message", Utf8("{\"id\":\"\",\"model\":null,\"choices\":[]}"))).Should().Be("(nothing)");
        Describe(parser.Parse("message", Utf8("{\"id\":42,\"model\":true,\"choices\":[]}"))).Should().Be("(nothing)");
    }

    [TestCase("{\"id\":{\"a\":1},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}", TestName = "Parse_IdIsAnObject_IsSkipped")]
    [TestCase("{\"model\":[\"m\"],\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}", TestName = "Parse_ModelIsAnArray_IsSkipped")]
    [TestCase("{\"choices\":[{\"index\":0,\"finish_reason\":{\"type\":\"stop\"},\"delta\":{\"content\":\"hi\"}}]}", TestName = "Parse_FinishReasonIsAnObject_IsSkipped")]
    [TestCase("{\"choices\":[{\"index\":[0],\"delta\":{\"content\":\"hi\"}}]}", TestName = "Parse_IndexIsAnArray_IsSkipped")]
    public void Parse_ObjectOrArrayWhereAScalarIsExpected_IsSkippedLikeOtherUnexpectedValues(string json)
    {
        var parser = new ChatStreamEventParser(SecretRedactor.Default);

        ChatStreamEvent parsed = parser.Parse("message", Utf8(json));

        parsed.Content.Should().Be("hi");
    }

    [Test]
    public void Parse_ServerStringsEchoingTheKey_AreRedacted_AnswerTextIsNot()
    {
        var parser = new ChatStreamEventParser(new SecretRedactor(Key));

        ChatStreamEvent error = parser.Parse("message", Utf8("{\"error\":{\"message\":\"Incorrect API key provided: " + Key + "\",\"type\":\"" + Key + "\",\"code\":\"" + Key + "\"}}"));
        ChatStreamEvent content = parser.Parse("message", Utf8("{\"id\":\"" + Key + "\",\"model\":\"" + Key + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + Key + "\",\"refusal\":\"" + Key + "\"},\"finish_reason\":\"" + Key + "\"}]}"));

        error.Error.Should().Be(new ApiError("Incorrect API key provided: ***", "***", "***", null));
        content.Id.Should().Be("***");
        content.Model.Should().Be("***");
        content.Refusal.Should().Be("***");
        content.FinishReason.Should().Be("***");
        content.Content.Should().Be(Key, "the answer the caller receives is never altered");
    }

    [TestCase("{\"choices\":[", TestName = "Parse_TruncatedJson_ThrowsSseProtocolException")]
    [TestCase("[1,2]", TestName = "Parse_ArrayNotObject_ThrowsSseProtocolException")]
    [TestCase("\"text\"", TestName = "Parse_StringNotObject_ThrowsSseProtocolException")]
    [TestCase("{} {}", TestName = "Parse_ContentAfterTheObject_ThrowsSseProtocolException")]
    [TestCase("", TestName = "Parse_EmptyData_ThrowsSseProtocolException")]
    [TestCase("not json", TestName = "Parse_PlainTextData_ThrowsSseProtocolException")]
    public void Parse_NotAChatChunk_ThrowsSseProtocolExceptionWithTheOffendingData(string data)
    {
        var parser = new ChatStreamEventParser(SecretRedactor.Default);

        Action parse = () => parser.Parse("message", Utf8(data));

        SseProtocolException thrown = parse.Should().Throw<SseProtocolException>().Which;
        thrown.OffendingLine.Should().Be(data.Length == 0 ? null : data);
    }

    [Test]
    public void Parse_MalformedDataEchoingTheKey_OffendingLineAndMessageAreRedacted()
    {
        var parser = new ChatStreamEventParser(new SecretRedactor(Key));

        Action parse = () => parser.Parse("message", Utf8("{\"error\": " + Key + "}"));

        SseProtocolException thrown = parse.Should().Throw<SseProtocolException>().Which;
        thrown.OffendingLine.Should().NotContain(Key).And.Contain("***");
        thrown.Message.Should().NotContain(Key);
    }

    /// <summary>Parses a body with <see cref="SseParser"/> and the chat event parser, describing each event.</summary>
    private static List<string> ParseAll(byte[] body, bool oneBytePerRead)
    {
        using Stream stream = oneBytePerRead ? new OneByteStream(body) : new MemoryStream(body);
        var parser = new ChatStreamEventParser(SecretRedactor.Default);
        var parsed = new List<string>();
        foreach (SseItem<ChatStreamEvent> item in SseParser.Create(stream, parser.Parse).Enumerate())
        {
            parsed.Add(Describe(item.Data));
        }

        return parsed;
    }

    /// <summary>An SSE body: a comment, each case as one event (named when the case says), then <c>[DONE]</c>.</summary>
    private static byte[] Sse(string newline, params EventCase[] cases)
    {
        var body = new List<byte>();
        body.AddRange(Utf8(": keep-alive" + newline));
        foreach (EventCase c in cases)
        {
            if (c.EventType is not null)
            {
                body.AddRange(Utf8("event: " + c.EventType + newline));
            }

            body.AddRange(Utf8("data: "));
            body.AddRange(c.Data);
            body.AddRange(Utf8(newline + newline));
        }

        body.AddRange(Utf8("data: [DONE]" + newline + newline));
        return [.. body];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A stable one-line description of everything an event carries.</summary>
    internal static string Describe(ChatStreamEvent e)
    {
        var parts = new List<string>();
        if (e.IsDone)
        {
            parts.Add("done");
        }

        if (e.Id is not null)
        {
            parts.Add("id=" + e.Id);
        }

        if (e.Model is not null)
        {
            parts.Add("model=" + e.Model);
        }

        if (e.Content is not null)
        {
            parts.Add("content=\"" + Escape(e.Content) + "\"" + (e.ContentIllFormed ? "(ill-formed)" : string.Empty));
        }

        if (e.Reasoning is not null)
        {
            parts.Add("reasoning=\"" + Escape(e.Reasoning) + "\"" + (e.ReasoningIllFormed ? "(ill-formed)" : string.Empty));
        }

        if (e.Refusal is not null)
        {
            parts.Add("refusal=\"" + Escape(e.Refusal) + "\"");
        }

        if (e.FinishReason is not null)
        {
            parts.Add("finish=" + e.FinishReason);
        }

        if (e.Usage is { } usage)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"usage={usage.InputTokenCount}/{usage.OutputTokenCount}/{usage.TotalTokenCount}")
                + (usage.CachedInputTokenCount is int cached ? " cached=" + cached.ToString(CultureInfo.InvariantCulture) : string.Empty)
                + (usage.ReasoningTokenCount is int reasoning ? " reasoning-tokens=" + reasoning.ToString(CultureInfo.InvariantCulture) : string.Empty));
        }

        if (e.Error is { } error)
        {
            parts.Add("error=" + string.Join('|', error.Message ?? "-", error.Type ?? "-", error.Code ?? "-", error.Param ?? "-"));
        }

        if (e.ContentFiltered)
        {
            parts.Add("filtered");
        }

        return parts.Count == 0 ? "(nothing)" : string.Join(' ', parts);
    }

    /// <summary>ASCII printable characters as they are; everything else (and quotes, backslashes) as <c>\uXXXX</c>.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return sb.ToString();
    }

    /// <summary>One row of the table.</summary>
    public sealed class EventCase
    {
        public EventCase(string name, string? eventType, string data, string expected)
            : this(name, eventType, Utf8(data), [], [], expected)
        {
        }

        public EventCase(string name, string? eventType, byte[] part1, byte[] part2, byte[] part3, string expected)
        {
            Name = name;
            EventType = eventType;
            Data = [.. part1, .. part2, .. part3];
            Expected = expected;
        }

        public string Name { get; }

        public string? EventType { get; }

        public byte[] Data { get; }

        public string Expected { get; }

        public override string ToString() => Name;
    }
}
