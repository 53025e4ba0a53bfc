using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>Error bodies in every shape servers send, the request description and the message built from them.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ApiErrorTests
{
    private const string Key = "sk-proj-APIERRORKEY0123456789abcdef";

    [TestCase("{\"error\":{\"message\":\"Bad key\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"invalid_api_key\"}}", "Bad key", "invalid_request_error", "invalid_api_key", "model", TestName = "TryParseJson_OpenAIErrorObject_ReadsEveryField")]
    [TestCase("{\"error\":{\"code\":429,\"message\":\"Slow down\",\"metadata\":{\"raw\":\"x\"}}}", "Slow down", null, "429", null, TestName = "TryParseJson_NumericCodeInErrorObject_IsText")]
    [TestCase("{\"error\":\"Model not found\",\"code\":400}", "Model not found", null, "400", null, TestName = "TryParseJson_ErrorStringWithSiblingCode_ReadsBoth")]
    [TestCase("{\"message\":\"Invalid model\",\"type\":\"BadRequestError\",\"code\":400}", "Invalid model", "BadRequestError", "400", null, TestName = "TryParseJson_TopLevelMessage_IsTheMessage")]
    [TestCase("{\"detail\":\"Not Found\"}", "Not Found", null, null, null, TestName = "TryParseJson_FastApiDetail_IsTheMessage")]
    [TestCase("{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"field required\"}]}", null, null, null, null, TestName = "TryParseJson_DetailArray_IsSkipped")]
    [TestCase("{\"error\":{\"message\":\"inner\"},\"message\":\"outer\"}", "inner", null, null, null, TestName = "TryParseJson_ErrorObjectBeforeMessage_ErrorObjectWins")]
    [TestCase("{\"message\":\"outer\",\"error\":{\"message\":\"inner\"}}", "inner", null, null, null, TestName = "TryParseJson_ErrorObjectAfterMessage_ErrorObjectWins")]
    [TestCase("{\"error\":true,\"type\":false}", "true", "false", null, null, TestName = "TryParseJson_Booleans_AreText")]
    [TestCase("{/* a comment */\"message\":\"m\"}", "m", null, null, null, TestName = "TryParseJson_Comments_AreSkipped")]
    [TestCase("{}", null, null, null, null, TestName = "TryParseJson_EmptyObject_HasNoFields")]
    public void TryParseJson_Shapes(string json, string? message, string? type, string? code, string? param)
    {
        ApiError? error = ApiError.TryParseJson(Encoding.UTF8.GetBytes(json));

        error.Should().Be(new ApiError(message, type, code, param));
    }

    [TestCase("[1,2]")]
    [TestCase("\"just text\"")]
    [TestCase("42")]
    [TestCase("null")]
    [TestCase("{\"error\":")]
    [TestCase("<html></html>")]
    [TestCase("")]
    public void TryParseJson_NotAJsonObject_IsNull(string body) =>
        ApiError.TryParseJson(Encoding.UTF8.GetBytes(body)).Should().BeNull();

    [Test]
    public void Parse_HtmlPageFromAProxy_KeepsAShortPlainExcerpt()
    {
        byte[] html = Encoding.UTF8.GetBytes("<html>\r\n<head><title>502 Bad Gateway</title></head>\n<body>\n  <center><h1>502   Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n");

        ApiError error = ApiError.Parse(html, "req-1", SecretRedactor.Default);

        error.Message.Should().Be("502 Bad Gateway 502 Bad Gateway nginx");
        error.RequestId.Should().Be("req-1");
        error.Type.Should().BeNull();
        error.Code.Should().BeNull();
    }

    [Test]
    public void PlainExcerpt_LongBody_IsCutAt300CharactersWithAnEllipsis()
    {
        byte[] html = Encoding.UTF8.GetBytes("<html><body><p>" + string.Concat(Enumerable.Repeat("word  \n ", 500)) + "</p></body></html>");

        string excerpt = ApiError.PlainExcerpt(html)!;

        excerpt.Should().HaveLength(301).And.EndWith("…").And.StartWith("word word ");
        excerpt.Should().NotContain("  ").And.NotContain("\n");
    }

    [Test]
    public void PlainExcerpt_HugeBody_LooksOnlyAtItsStart()
    {
        byte[] body = Encoding.UTF8.GetBytes(new string('<', 5000) + ">tail");

        ApiError.PlainExcerpt(body).Should().BeNull("only the first 4096 bytes are read, and they are all inside a tag");
    }

    [TestCase("", null)]
    [TestCase("   \r\n\t ", null)]
    [TestCase("<html><body></body></html>", null)]
    [TestCase("  plain   text\n", "plain text")]
    [TestCase("a<br>b", "a b")]
    [TestCase("[1,2]", "[1,2]")]
    public void PlainExcerpt_Bodies(string body, string? expected) =>
        ApiError.PlainExcerpt(Encoding.UTF8.GetBytes(body)).Should().Be(expected);

    [Test]
    public void Parse_EmptyBody_HasNoFieldsButTheRequestId()
    {
        ApiError error = ApiError.Parse([], "req-9", SecretRedactor.Default);

        error.Should().Be(new ApiError(null, null, null, null) { RequestId = "req-9" });
    }

    [Test]
    public void Parse_NonObjectJson_IsKeptAsPlainText()
    {
        ApiError error = ApiError.Parse("[\"overloaded\"]"u8, null, SecretRedactor.Default);

        error.Message.Should().Be("[\"overloaded\"]");
    }

    [Test]
    public void Parse_EchoedKeyInAnyField_IsRedacted()
    {
        var redactor = new SecretRedactor(Key);
        byte[] body = Encoding.UTF8.GetBytes("{\"error\":{\"message\":\"Incorrect API key provided: " + Key + ".\",\"type\":\"" + Key + "\",\"param\":\"" + Key + "\",\"code\":\"" + Key + "\"}}");

        ApiError error = ApiError.Parse(body, "id-" + Key, redactor);

        error.Message.Should().Be("Incorrect API key provided: ***.");
        error.Type.Should().Be("***");
        error.Param.Should().Be("***");
        error.Code.Should().Be("***");
        error.RequestId.Should().Be("id-***");
    }

    [Test]
    public void Redacted_RedactsServerFieldsHintAndRequestId_KeepsTheRequestAsDescribed()
    {
        var redactor = new SecretRedactor(Key);
        var error = new ApiError("m " + Key, "t " + Key, "c " + Key, "p " + Key)
        {
            RequestId = "r " + Key,
            Request = "POST https://h/v1/chat/completions?key=***",
            Hint = "The endpoint redirected to https://h/?token=" + Key,
        };

        ApiError redacted = error.Redacted(redactor);

        redacted.Should().Be(new ApiError("m ***", "t ***", "c ***", "p ***")
        {
            RequestId = "r ***",
            Request = "POST https://h/v1/chat/completions?key=***",
            Hint = "The endpoint redirected to https://h/?token=***",
        });
    }

    [TestCase("https://user:secret@example.com:8443/openai/deployments/gpt/chat/completions?api-version=2024-10-21&api-key=abc&flag",
        "POST https://example.com:8443/openai/deployments/gpt/chat/completions?api-version=2024-10-21&api-key=***&flag", TestName = "DescribeRequest_UserInfoAndQueryValues_AreRemoved_ApiVersionKept")]
    [TestCase("https://example.com/v1/chat/completions?API-VERSION=2025-01-01", "POST https://example.com/v1/chat/completions?API-VERSION=2025-01-01", TestName = "DescribeRequest_ApiVersionInAnyCase_IsKept")]
    [TestCase("https://example.com/v1/chat/completions?", "POST https://example.com/v1/chat/completions", TestName = "DescribeRequest_EmptyQuery_IsLeftOut")]
    [TestCase("https://example.com:443/v1/chat/completions#frag", "POST https://example.com/v1/chat/completions", TestName = "DescribeRequest_DefaultPortAndFragment_AreLeftOut")]
    [TestCase("http://localhost:11434/v1/chat/completions?a=1&&b=x=y", "POST http://localhost:11434/v1/chat/completions?a=***&b=***", TestName = "DescribeRequest_EmptyPairsDropped_ValuesWithEqualsMasked")]
    [TestCase("https://example.com/my%20path/chat/completions?key=sk-123", "POST https://example.com/my%20path/chat/completions?key=***", TestName = "DescribeRequest_EscapedPath_StaysEscaped")]
    public void DescribeRequest_Cases(string uri, string expected) =>
        ApiError.DescribeRequest("POST", new Uri(uri)).Should().Be(expected);

    [Test]
    public void FormatMessage_EveryPart_InOrder()
    {
        var error = new ApiError("Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null)
        {
            Request = "POST https://api.openai.com/v1/chat/completions",
            RequestId = "req_123",
            Hint = "Check StreamingCodeGeneratorOptions.ApiKey.",
        };

        ApiError.FormatMessage(401, error).Should().Be(
            "POST https://api.openai.com/v1/chat/completions returned HTTP 401 (invalid_api_key): Incorrect API key provided. Request id: req_123. Check StreamingCodeGeneratorOptions.ApiKey.");
    }

    [Test]
    public void FormatMessage_NoRequestNoCode_UsesTheTypeAndAGenericOpening()
    {
        ApiError.FormatMessage(500, new ApiError("Boom", "server_error", null, null))
            .Should().Be("The server returned HTTP 500 (server_error): Boom");
    }

    [TestCase(null)]
    [TestCase("")]
    public void FormatMessage_NoMessage_EndsTheSentence(string? message)
    {
        ApiError.FormatMessage(502, new ApiError(message, null, null, null)).Should().Be("The server returned HTTP 502.");
        ApiError.FormatMessage(502, new ApiError(message, null, null, null) { RequestId = "r", Hint = "Try later." })
            .Should().Be("The server returned HTTP 502. Request id: r. Try later.");
    }
}
