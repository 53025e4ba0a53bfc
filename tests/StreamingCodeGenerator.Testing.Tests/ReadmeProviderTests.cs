namespace StreamingCodeGeneration.Testing.Tests;

/// <summary>The package README's Anthropic example, verbatim, so it keeps compiling and passing.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ReadmeProviderTests
{
    [Test]
    public async Task ClaudeClient_StreamedAnswer_SendsKeyAndVersion()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new AnthropicScript().Thinking("Short answer.").Text("Hello", ", world").Stop());

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, "messages"))
        {
            Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"),
        };
        request.Headers.Add("x-api-key", "sk-ant-test-key");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using HttpResponseMessage response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        Assert.That(body, Does.Contain("\"text\":\"Hello\"").And.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        RecordedRequest sent = server.Requests.Single();
        Assert.That(sent.ApiKey, Is.EqualTo("sk-ant-test-key"));
        Assert.That(sent.AnthropicVersion, Is.EqualTo("2023-06-01"));
    }
}
