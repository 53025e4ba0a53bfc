using System.Text;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// The Testing package's <see cref="AnthropicScript"/>, <see cref="ResponsesScript"/> and <see cref="Respond.SseBody"/>,
/// served over loopback HTTP by <see cref="OpenAITestServer"/>, parse with the provider parsers to exactly what
/// they script: a user's test of their Claude or Responses code path sees what the real services send.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProviderScriptParsingTests
{
    [Test]
    public async Task AnthropicScript_ThinkingToolUseTextAndUsage_ParseToTheScriptedOutcome()
    {
        ProviderOutcome outcome = await ParseAsync(
            new AnthropicScript()
                .MessageStart(inputTokens: 5, cacheReadTokens: 3000, cacheCreationTokens: 7)
                .Thinking("Plan", " it.")
                .Ping()
                .ToolUse("lookup")
                .Thinking("Again.")
                .Text("Here:\n")
                .CodeBlock("csharp", "int x = 1;", fileName: "X.cs", pieceLength: 5)
                .Stop(outputTokens: 99),
            anthropic: true);

        outcome.Should().Be(new ProviderOutcome(
            "Here:\n```csharp title=X.cs\nint x = 1;\n```\n", "Plan it.\n\nAgain.", string.Empty, "end_turn", Terminal: true, Error: null,
            "3012/99/3111 cached=3000 reasoning=-", AnthropicScript.DefaultId, AnthropicScript.DefaultModel));
    }

    [Test]
    public async Task AnthropicScript_OverloadedErrorMidStream_ParsesToThePartialTextAndTheError()
    {
        ProviderOutcome outcome = await ParseAsync(new AnthropicScript().Text("Hel", "lo").ErrorEvent(), anthropic: true);

        outcome.Text.Should().Be("Hello");
        outcome.Error.Should().Be("overloaded_error|-|Overloaded");
        outcome.Terminal.Should().BeFalse();
    }

    [Test]
    public async Task AnthropicScript_Refusal_ParsesToTheRefusalAndFinish()
    {
        ProviderOutcome outcome = await ParseAsync(new AnthropicScript().Refusal("No."), anthropic: true);

        (outcome.Refusal, outcome.Finish, outcome.Terminal).Should().Be(("No.", "refusal", true));
    }

    [Test]
    public async Task ResponsesScript_ReasoningRefusalFunctionCallAndUsage_ParseToTheScriptedOutcome()
    {
        ProviderOutcome outcome = await ParseAsync(
            new ResponsesScript()
                .WithModel("o4-mini")
                .ReasoningSummary("**A**", " one")
                .ReasoningSummary("**B**")
                .FunctionCall("lookup")
                .Text("Hello", ", world")
                .Completed(inputTokens: 20, outputTokens: 90, cachedTokens: 8, reasoningTokens: 64),
            anthropic: false);

        outcome.Should().Be(new ProviderOutcome(
            "Hello, world", "**A** one\n\n**B**", string.Empty, "completed", Terminal: true, Error: null,
            "20/90/110 cached=8 reasoning=64", ResponsesScript.DefaultId, "o4-mini"));
    }

    [Test]
    public async Task ResponsesScript_IncompleteAndRefusal_ParseToTheirFinishes()
    {
        ProviderOutcome incomplete = await ParseAsync(new ResponsesScript().Text("cut").Incomplete(), anthropic: false);
        ProviderOutcome refusal = await ParseAsync(new ResponsesScript().Refusal("I can't").Completed(), anthropic: false);

        (incomplete.Text, incomplete.Finish, incomplete.Terminal).Should().Be(("cut", "max_output_tokens", true));
        (refusal.Text, refusal.Refusal, refusal.Finish).Should().Be((string.Empty, "I can't", "completed"));
    }

    [Test]
    public async Task ResponsesScript_ErrorEventThenFailed_ParsesToTheFirstError()
    {
        ProviderOutcome outcome = await ParseAsync(new ResponsesScript().Text("Hel").ErrorEvent("server_error", "boom").Failed(), anthropic: false);

        outcome.Text.Should().Be("Hel");
        outcome.Error.Should().Be("server_error|server_error|boom");
        outcome.Terminal.Should().BeFalse();
    }

    [Test]
    public async Task SseBody_EveryRecordingOverLoopback_ParsesToItsExpectedOutcome()
    {
        foreach (ProviderRecording recording in ProviderRecording.All("openai-responses").Concat(ProviderRecording.All("anthropic-messages")))
        {
            ProviderOutcome outcome = await ParseAsync(Respond.SseBody(recording.Body), recording.Api == "anthropic-messages");

            outcome.Should().Be(recording.Expected, "{0} replayed over loopback parses as its bytes do", recording);
        }
    }

    private static async Task<ProviderOutcome> ParseAsync(Func<HttpContext, Task> script, bool anthropic)
    {
        await using var server = await OpenAITestServer.StartAsync(script);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, anthropic ? "messages" : "responses"))
        {
            Content = new StringContent("{\"stream\":true}", Encoding.UTF8, "application/json"),
        };
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync();
        return anthropic ? ProviderOutcome.OfAnthropic(body) : ProviderOutcome.OfResponses(body);
    }
}
