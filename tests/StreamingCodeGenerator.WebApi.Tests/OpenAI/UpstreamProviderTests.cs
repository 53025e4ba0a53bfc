using System.Net;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.OpenAI;

/// <summary>
/// An upstream that is not OpenAI's Chat Completions (Anthropic's Messages API, OpenAI's Responses API): the service's
/// clients still speak Chat Completions to it, and get the upstream's exact text.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UpstreamProviderTests
{
    private const string Request = "{\"messages\": [{\"role\": \"user\", \"content\": \"Sort xs\"}], \"stream\": true}";

    [Test]
    public async Task AnthropicUpstream_ChatCompletionsClient_GetsClaudesExactText()
    {
        await using var upstream = await OpenAITestServer.StartAsync(AnthropicScript.Answer("Sorted:\n\n```python\n", "print(sorted(xs))\n```\n"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["StreamingCodeGenerator:Provider"] = "Anthropic",
            ["StreamingCodeGenerator:Model"] = "claude-sonnet-4-5",
        });

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", Request));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        string body = await response.Content.ReadAsStringAsync();
        EventStream.Text(body).Should().Be("Sorted:\n\n```python\nprint(sorted(xs))\n```\n");
        EventStream.Parse(body)[^1].Data.Should().Be("[DONE]");
        RecordedRequest sent = upstream.Requests.Single();
        sent.Path.Should().EndWith("/messages");
        sent.GetHeader("x-api-key").Should().Be(OpenAITestServer.DefaultApiKey);
        sent.Authorization.Should().BeNull();
    }

    [Test]
    public async Task ResponsesUpstream_ChatCompletionsClient_GetsTheExactText()
    {
        await using var upstream = await OpenAITestServer.StartAsync(ResponsesScript.Answer("Hello, ", "world"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["StreamingCodeGenerator:Provider"] = "OpenAIResponses",
        });

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", Request));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        EventStream.Text(await response.Content.ReadAsStringAsync()).Should().Be("Hello, world");
        upstream.Requests.Single().Path.Should().EndWith("/responses");
    }
}
