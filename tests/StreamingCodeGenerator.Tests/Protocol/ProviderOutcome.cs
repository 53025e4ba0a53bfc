using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// What a client makes of a whole provider stream, in the shape of the recordings' <c>.expected.json</c>: collected
/// the way the engine reads a stream (ids and models read once, reading stops at the first error).
/// </summary>
public sealed record ProviderOutcome(
    string Text,
    string Reasoning,
    string Refusal,
    string? Finish,
    bool Terminal,
    string? Error,
    string? Usage,
    string? Id,
    string? Model)
{
    /// <summary>Reads an <c>.expected.json</c>.</summary>
    public static ProviderOutcome FromJson(JsonElement json)
    {
        JsonElement error = json.GetProperty("error");
        JsonElement usage = json.GetProperty("usage");
        return new ProviderOutcome(
            json.GetProperty("text").GetString()!,
            json.GetProperty("reasoning").GetString()!,
            json.GetProperty("refusal").GetString()!,
            json.GetProperty("finish").GetString(),
            json.GetProperty("terminal").GetBoolean(),
            error.ValueKind == JsonValueKind.Null ? null : DescribeError(error.GetProperty("message").GetString(), error.GetProperty("type").GetString(), error.GetProperty("code").GetString()),
            usage.ValueKind == JsonValueKind.Null ? null : DescribeUsage(
                usage.GetProperty("input").GetInt32(),
                usage.GetProperty("output").GetInt32(),
                usage.GetProperty("total").GetInt32(),
                usage.GetProperty("cached").ValueKind == JsonValueKind.Null ? null : usage.GetProperty("cached").GetInt32(),
                usage.GetProperty("reasoning").ValueKind == JsonValueKind.Null ? null : usage.GetProperty("reasoning").GetInt32()),
            json.GetProperty("id").GetString(),
            json.GetProperty("model").GetString());
    }

    /// <summary>Runs <paramref name="body"/> through <see cref="SseParser"/> and <paramref name="parse"/>, as the engine reads a stream.</summary>
    /// <param name="body">The stream.</param>
    /// <param name="parse">The parser's <c>Parse</c>.</param>
    /// <param name="idKnown">Tells the parser the id is known (clears its <c>NeedId</c>).</param>
    /// <param name="modelKnown">Tells the parser the model is known.</param>
    internal static ProviderOutcome Collect(Stream body, SseItemParser<ProviderStreamEvent> parse, Action idKnown, Action modelKnown)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var refusal = new StringBuilder();
        string? finish = null, error = null, usage = null, id = null, model = null;
        bool terminal = false;
        foreach (SseItem<ProviderStreamEvent> item in SseParser.Create(body, parse).Enumerate())
        {
            ProviderStreamEvent e = item.Data;
            e.ContentIllFormed.Should().BeFalse("no recording holds a lone surrogate");
            e.ReasoningIllFormed.Should().BeFalse("no recording holds a lone surrogate");
            text.Append(e.Content);
            reasoning.Append(e.Reasoning);
            refusal.Append(e.Refusal);
            finish = e.FinishReason ?? finish;
            terminal |= e.IsTerminal;
            if (e.Usage is { } u)
            {
                usage = DescribeUsage(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount, u.CachedInputTokenCount, u.ReasoningTokenCount);
            }

            if (e.Id is not null)
            {
                id.Should().BeNull("the id is read only until it is known");
                id = e.Id;
                idKnown();
            }

            if (e.Model is not null)
            {
                model.Should().BeNull("the model is read only until it is known");
                model = e.Model;
                modelKnown();
            }

            if (e.Error is { } apiError)
            {
                error = DescribeError(apiError.Message, apiError.Type, apiError.Code);
                break;
            }
        }

        return new ProviderOutcome(text.ToString(), reasoning.ToString(), refusal.ToString(), finish, terminal, error, usage, id, model);
    }

    /// <summary>Runs a body through the Responses parser.</summary>
    public static ProviderOutcome OfResponses(Stream body)
    {
        var parser = new ResponsesStreamEventParser(SecretRedactor.Default);
        return Collect(body, parser.Parse, () => parser.NeedId = false, () => parser.NeedModel = false);
    }

    /// <summary>Runs a body through the Messages parser.</summary>
    public static ProviderOutcome OfAnthropic(Stream body)
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default);
        return Collect(body, parser.Parse, () => parser.NeedId = false, () => parser.NeedModel = false);
    }

    private static string DescribeError(string? message, string? type, string? code) => $"{type ?? "-"}|{code ?? "-"}|{message ?? "-"}";

    private static string DescribeUsage(int input, int output, int total, int? cached, int? reasoning) =>
        string.Create(CultureInfo.InvariantCulture, $"{input}/{output}/{total} cached={cached?.ToString(CultureInfo.InvariantCulture) ?? "-"} reasoning={reasoning?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}
