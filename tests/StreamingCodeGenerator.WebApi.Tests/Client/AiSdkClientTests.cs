using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Client;

/// <summary>
/// Real clients no one here wrote, on node 22 (which they need), installed from npm into <c>$TMPDIR/ai-sdk-npm</c>
/// (named by <c>AI_SDK_NPM_DIR</c>; <c>.ci/run</c> installs them): the Vercel AI SDK, whose default OpenAI model speaks
/// the Responses API (<c>generateText</c>, <c>streamText</c>, a conversation, and <c>generateObject</c> refused with a clear
/// 400 on both APIs), and OpenAI's npm package 7.
/// </summary>
public sealed class AiSdkClientTests
{
    public static readonly string[] Packages = ["node@22", "ai@7", "@ai-sdk/openai@4", "zod@4", "openai@7"];

    [Test]
    public async Task VercelAiSdk_GenerateTextStreamTextAndAConversation_OverTheResponsesApi()
    {
        (string node, string folder) = await InstallAsync();
        await using var upstream = await OpenAITestServer.StartAsync(OpenAINpmClientTests.Script());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        JsonElement result = await NodeClient.RunScriptAsync(node, "ai-sdk-client.mjs", service.BaseAddress, new Dictionary<string, string> { ["AI_SDK_NPM_DIR"] = folder });

        result.GetProperty("versions").GetProperty("ai").GetString().Should().StartWith("7.");
        JsonElement generated = result.GetProperty("generated");
        generated.GetProperty("text").GetString().Should().Be(OpenAINpmClientTests.Answer);
        Unified(generated.GetProperty("finishReason")).Should().Be("stop");
        Tokens(generated.GetProperty("usage"), "inputTokens").Should().Be(30);
        Tokens(generated.GetProperty("usage"), "outputTokens").Should().Be(20);
        generated.GetProperty("warnings").GetArrayLength().Should().Be(0);
        JsonElement streamed = result.GetProperty("streamed");
        streamed.GetProperty("text").GetString().Should().Be(OpenAINpmClientTests.Answer);
        Unified(streamed.GetProperty("finishReason")).Should().Be("stop");
        Tokens(streamed.GetProperty("usage"), "outputTokens").Should().Be(20);
        result.TryGetProperty("streamError", out _).Should().BeFalse();
        result.GetProperty("followUp").GetString().Should().Be(OpenAINpmClientTests.Answer);

        upstream.RequestCount.Should().Be(3, "generateObject was refused before it reached the model");
        upstream.Requests.Should().OnlyContain(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        upstream.Requests[2].Messages.Select(m => (m.Role, m.Content)).Should().Equal(
            ("system", "You write Python."),
            ("user", "Write a bubble sort."),
            ("assistant", "def bubble_sort(xs): ..."),
            ("user", "Now add a docstring."));

        foreach ((string api, string param) in (ReadOnlySpan<(string, string)>)[("responses", "text.format"), ("chat", "response_format")])
        {
            JsonElement refused = result.GetProperty(api + "Object");
            refused.TryGetProperty("unexpected", out _).Should().BeFalse();
            refused.GetProperty("status").GetInt32().Should().Be(400);
            refused.GetProperty("message").GetString().Should().Contain($"Unsupported parameter: '{param}'");
            JsonElement error = JsonDocument.Parse(refused.GetProperty("body").GetString()!).RootElement.GetProperty("error");
            error.GetProperty("code").GetString().Should().Be("unsupported_parameter");
            error.GetProperty("param").GetString().Should().Be(param);
        }
    }

    [Test]
    public async Task OfficialOpenAIPackage7_ChatResponsesAndModels_WorkWithTheExactText()
    {
        (string node, string folder) = await InstallAsync();
        await OpenAINpmClientTests.RunAndCheckAsync(node, folder, expectedMajor: "7.");
    }

    private static async Task<(string Node, string Folder)> InstallAsync()
    {
        if (NodeClient.FindOnPath("npm") is null)
        {
            Assert.Ignore("npm is not installed: node 22 and the AI SDK cannot be installed here.");
        }

        string folder = await NodeClient.PackagesAsync("AI_SDK_NPM_DIR", "ai-sdk-npm", "@ai-sdk/openai", Packages);
        string node = Path.Combine(folder, "node_modules", ".bin", "node");
        File.Exists(node).Should().BeTrue("npm's node package puts node 22 in node_modules/.bin");
        return (node, folder);
    }

    /// <summary>A finish reason: a string, or (AI SDK 6 and later) <c>{"unified": "stop", "raw": …}</c>.</summary>
    private static string? Unified(JsonElement reason) => reason.ValueKind == JsonValueKind.String ? reason.GetString() : reason.GetProperty("unified").GetString();

    /// <summary>A token count: a number, or (AI SDK 6 and later) <c>{"total": N, …}</c>.</summary>
    private static int Tokens(JsonElement usage, string name)
    {
        JsonElement value = usage.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : value.GetProperty("total").GetInt32();
    }
}
