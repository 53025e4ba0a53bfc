using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>Anthropic's error bodies: <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AnthropicErrorBodyTests
{
    private const string Key = "sk-ant-api03-ERRORBODYKEY0123456789abcdef";

    [Test]
    public void Parse_Overloaded_ReadsTypeMessageAndTheBodysRequestId()
    {
        ApiError error = AnthropicErrorBody.Parse(
            Utf8("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}"),
            requestId: null,
            SecretRedactor.Default);

        error.Should().Be(new ApiError("Overloaded", "overloaded_error", null, null) { RequestId = "req_011CSHoEeqs5C35K2UUqR7Fy" });
        ApiError.FormatMessage(529, error).Should().Be("The server returned HTTP 529 (overloaded_error): Overloaded Request id: req_011CSHoEeqs5C35K2UUqR7Fy.");
    }

    [Test]
    public void Parse_RequestIdHeader_WinsOverTheBody()
    {
        ApiError error = AnthropicErrorBody.Parse(
            Utf8("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"},\"request_id\":\"req_body\"}"),
            requestId: "req_header",
            SecretRedactor.Default);

        error.RequestId.Should().Be("req_header");
        error.Type.Should().Be("rate_limit_error");
    }

    [Test]
    public void Parse_HtmlFromAProxy_KeepsAPlainExcerpt()
    {
        ApiError error = AnthropicErrorBody.Parse(Utf8(Respond.BadGatewayPage), null, SecretRedactor.Default);

        error.Should().Be(new ApiError("502 Bad Gateway 502 Bad Gateway nginx", null, null, null));
    }

    [Test]
    public void Parse_OpenAIShapedBody_IsReadAsApiErrorReadsIt()
    {
        byte[] body = Utf8("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":\"c\"}}");

        AnthropicErrorBody.Parse(body, "req_1", SecretRedactor.Default).Should().Be(ApiError.Parse(body, "req_1", SecretRedactor.Default));
    }

    [Test]
    public void Parse_MessageEchoingTheKey_IsRedacted()
    {
        ApiError error = AnthropicErrorBody.Parse(
            Utf8("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key: " + Key + "\"},\"request_id\":\"" + Key + "\"}"),
            null,
            new SecretRedactor(Key));

        error.Message.Should().Be("invalid x-api-key: ***");
        error.RequestId.Should().Be("***");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
