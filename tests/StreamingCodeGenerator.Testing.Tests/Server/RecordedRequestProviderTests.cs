using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Server;

/// <summary>What a recorded request says about calls to Anthropic's Messages API and OpenAI's Responses API.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RecordedRequestProviderTests
{
    private const string AnthropicKey = "sk-ant-api03-RECORDEDKEY0123456789abcdef";

    private static async Task<RecordedRequest> SendAsync(string path, string body, params (string, string)[] headers)
    {
        await using var server = await OpenAITestServer.StartAsync(AnthropicScript.Answer("x"));
        await RawHttp.PostAsync(server.BaseAddress, path, body, headers);
        return server.Requests.Single();
    }

    [Test]
    public async Task AnthropicRequest_KeyVersionSystemAndMessages_AreReadable()
    {
        RecordedRequest request = await SendAsync(
            "/v1/messages",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"system\":\"You write C#.\",\"messages\":[{\"role\":\"user\",\"content\":\"Sort\"},{\"role\":\"assistant\",\"content\":\"list.\"}],\"stream\":true}",
            ("x-api-key", AnthropicKey),
            ("anthropic-version", "2023-06-01"));

        request.Path.Should().Be("/v1/messages");
        request.ApiKey.Should().Be(AnthropicKey);
        request.Authorization.Should().BeNull();
        request.AnthropicVersion.Should().Be("2023-06-01");
        request.SystemPrompt.Should().Be("You write C#.");
        request.Model.Should().Be("claude-sonnet-4-5");
        request.Stream.Should().BeTrue();
        request.Messages.Select(m => (m.Role, m.Content)).Should().Equal(("user", "Sort"), ("assistant", "list."));
        request.ToString().Should().NotContain(AnthropicKey);
    }

    [Test]
    public async Task AnthropicRequest_SystemAsBlocks_IsTheirTextJoined()
    {
        RecordedRequest request = await SendAsync("/v1/messages", "{\"system\":[{\"type\":\"text\",\"text\":\"One. \"},{\"type\":\"text\",\"text\":\"Two.\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[]}");

        request.SystemPrompt.Should().Be("One. Two.");
    }

    [Test]
    public async Task ResponsesRequest_InstructionsAndInputItems_AreReadable()
    {
        RecordedRequest request = await SendAsync(
            "/v1/responses",
            "{\"model\":\"gpt-5-codex\",\"instructions\":\"You write C#.\",\"input\":[{\"role\":\"user\",\"content\":\"Sort\"},{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Fast\"}]}],\"stream\":true,\"store\":false}",
            ("Authorization", "Bearer " + OpenAITestServer.DefaultApiKey));

        request.Instructions.Should().Be("You write C#.");
        request.SystemPrompt.Should().BeNull();
        request.AnthropicVersion.Should().BeNull();
        request.ApiKey.Should().Be(OpenAITestServer.DefaultApiKey);
        request.Messages.Select(m => (m.Role, m.Content)).Should().Equal(("user", "Sort"), ("user", "Fast"));
    }

    [Test]
    public async Task ResponsesRequest_InputString_IsOneUserMessage()
    {
        RecordedRequest request = await SendAsync("/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"Say \\\"hi\\\"\"}");

        request.Messages.Should().ContainSingle().Which.Content.Should().Be("Say \"hi\"");
        request.Messages[0].Role.Should().Be("user");
    }

    [Test]
    public async Task ChatRequest_MessagesWinOverInput()
    {
        RecordedRequest request = await SendAsync("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"chat\"}],\"input\":\"other\"}");

        request.Messages.Should().ContainSingle().Which.Content.Should().Be("chat");
    }
}
