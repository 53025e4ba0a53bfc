using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Generation;

/// <summary>
/// A request whose prompt plus <c>max_tokens</c> cannot fit the model's context window (128,000 tokens for the
/// default gpt-4o-mini) is a 400 that gives every number and the largest <c>max_tokens</c> that fits; nothing is sent.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class ContextLengthTests
{
    [TestCase("max_tokens", 200_000, TestName = "MaxTokens_AloneBeyondTheContextWindow_SaysPromptPlusMaxTokensExceedIt")]
    [TestCase("max_tokens", 127_990, TestName = "MaxTokens_WithThePromptBeyondTheContextWindow_SaysPromptPlusMaxTokensExceedIt")]
    [TestCase("max_completion_tokens", 200_000, TestName = "MaxCompletionTokens_BeyondTheContextWindow_IsNamed")]
    public async Task MaxTokens_BeyondTheContextWindow_Is400WithTheNumbers(string field, int maxTokens)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);
        string body = $"{{\"messages\": [{{\"role\": \"user\", \"content\": \"Sort a list\"}}], \"{field}\": {maxTokens}}}";

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("context_length_exceeded");
        error.GetProperty("param").GetString().Should().Be(field);
        string message = error.GetProperty("message").GetString()!;
        message.Should().Contain(field + " (" + maxTokens.ToString("N0", CultureInfo.InvariantCulture) + " tokens")
            .And.Contain("context window of 128,000 tokens")
            .And.NotMatchRegex("-[0-9]");
        Match numbers = Numbers().Match(message);
        numbers.Success.Should().BeTrue(message);
        int prompt = int.Parse(numbers.Groups["prompt"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        int total = int.Parse(numbers.Groups["total"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        int fits = int.Parse(numbers.Groups["fits"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        prompt.Should().BeInRange(5, 500);
        total.Should().Be(prompt + maxTokens);
        fits.Should().Be(128_000 - prompt);
        message.Should().Contain("Lower " + field + " to at most");
        upstream.RequestCount.Should().Be(0);
    }

    [GeneratedRegex(@"The prompt \((?<prompt>[0-9,]+) tokens\) plus .* come to (?<total>[0-9,]+),.* at most (?<fits>[0-9,]+)")]
    private static partial Regex Numbers();
}
