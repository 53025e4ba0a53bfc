using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Server;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RecordedRequestTests
{
    private static async Task<RecordedRequest> SendAsync(string body, string path = "/v1/chat/completions", params (string, string)[] headers)
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));
        await RawHttp.PostAsync(server.BaseAddress, path, body, headers);
        return server.Requests.Single();
    }

    [Test]
    public async Task ApiKey_AzureApiKeyHeader_IsTheKey()
    {
        RecordedRequest request = await SendAsync(RawHttp.ChatBody, headers: ("api-key", "azure-key-123456"));

        request.ApiKey.Should().Be("azure-key-123456");
        request.Authorization.Should().BeNull();
    }

    [Test]
    public async Task ApiKey_NoCredentials_IsNull()
    {
        RecordedRequest request = await SendAsync(RawHttp.ChatBody);

        request.ApiKey.Should().BeNull();
    }

    [Test]
    public async Task Headers_AnyCase_AreFound()
    {
        RecordedRequest request = await SendAsync(RawHttp.ChatBody, headers: ("X-Custom", "yes"));

        request.Headers["x-custom"].Should().Be("yes");
        request.GetHeader("X-CUSTOM").Should().Be("yes");
        request.GetHeader("missing").Should().BeNull();
    }

    [Test]
    public async Task Messages_ContentPartArrays_JoinTheirText()
    {
        RecordedRequest request = await SendAsync(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello, \"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"world\"}]},{\"role\":\"assistant\"}]}");

        request.Messages.Should().HaveCount(2);
        request.Messages[0].Role.Should().Be("user");
        request.Messages[0].Content.Should().Be("Hello, world");
        request.Messages[1].Content.Should().BeNull();
        request.Stream.Should().BeNull("the body does not set stream");
    }

    [Test]
    public async Task Json_BodyIsNotJson_ThrowsQuotingItsStart()
    {
        RecordedRequest request = await SendAsync("not json at all");

        Func<object> json = () => request.Json;

        json.Should().Throw<InvalidOperationException>().WithMessage("Request 0's body is not JSON: \"not json at all\".");
        request.Body.Should().Be("not json at all");
    }

    [Test]
    public async Task Model_EmptyBody_IsNullAndMessagesEmpty()
    {
        RecordedRequest request = await SendAsync(string.Empty, "/v1/models");

        request.Model.Should().BeNull();
        request.Messages.Should().BeEmpty();
        request.Path.Should().Be("/v1/models");
        request.ToString().Should().Be("#0 POST /v1/models");
    }
}
