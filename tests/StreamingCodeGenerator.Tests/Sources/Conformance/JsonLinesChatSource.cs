using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>
/// A whole provider in one file, as a new one is written: the "JSON lines" chat protocol, a small relative of Ollama's
/// native API. It sees only the <see cref="ChatAttempt"/> (no sink, no stats, no generation) and shows how a source
/// expresses each thing the stages above need.
/// </summary>
/// <remarks>
/// <para>Wire: <c>POST {base}chat</c> with <c>{"model", "messages": [{"role", "content"}], "usage": bool}</c>. A 200
/// answers <c>application/x-ndjson</c>, one object a line: <c>{"text"}</c>, <c>{"reasoning"}</c>,
/// <c>{"error": {"type", "message"}}</c>, and last <c>{"done": reason, "usage": {"input", "output", "cached",
/// "reasoning"}}</c>. An error status carries <c>{"error": {"type", "message"}}</c> and maybe <c>retry-after</c>.</para>
/// <list type="bullet">
/// <item>Provider error bodies: parsed here into an <see cref="ApiError"/>; <see cref="SourceFailures.FromStatus"/> picks the typed exception.</item>
/// <item><c>Retry-After</c>: read with <see cref="RetryAfterParser"/> and handed to <see cref="SourceFailures.FromStatus"/> (a 429 carries it as <see cref="RateLimitException.RetryAfter"/>).</item>
/// <item>A provider-specific retryable status (529 "overloaded"): <see cref="IsTransient"/>.</item>
/// <item>A refused usage option (400 <c>usage_unsupported</c>): <see cref="UsageRejectedException"/>.</item>
/// <item>Usage with cached and reasoning tokens, reasoning deltas, the finish reason as sent: fields of <see cref="ChatUpdate"/>.</item>
/// <item>An error line mid-stream, a lost connection, a body that ends early: <see cref="SourceFailures"/>.</item>
/// </list>
/// </remarks>
internal sealed class JsonLinesChatSource(HttpClient http, Uri baseAddress) : IChatUpdateSource
{
    public string ProviderName => "jsonlines";

    public Uri? ServerAddress => baseAddress;

    public bool? IsTransient(CodeGenerationException failure) => failure is ApiException { StatusCode: 529 } ? true : null;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(attempt, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        bool done = false, sawText = false;
        while (!done)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw SourceFailures.ConnectionLost(ex, SecretRedactor.Default);
            }

            if (line is null)
            {
                throw SourceFailures.EndedEarly(sawText);
            }

            if (line.Length == 0)
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement item = document.RootElement;
            if (item.TryGetProperty("error", out JsonElement error))
            {
                throw SourceFailures.ErrorEvent(Error(error));
            }

            var update = new ChatUpdate
            {
                Text = String(item, "text"),
                Reasoning = String(item, "reasoning"),
                FinishReason = String(item, "done"),
            };
            if (item.TryGetProperty("usage", out JsonElement usage))
            {
                int input = usage.GetProperty("input").GetInt32(), output = usage.GetProperty("output").GetInt32();
                update.Usage = new TokenUsage(input, output, input + output)
                {
                    CachedInputTokenCount = usage.TryGetProperty("cached", out JsonElement cached) ? cached.GetInt32() : null,
                    ReasoningTokenCount = usage.TryGetProperty("reasoning", out JsonElement reasoning) ? reasoning.GetInt32() : null,
                };
            }

            done = update.FinishReason is not null;
            sawText |= update.Text is not null;
            yield return update;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(ChatAttempt attempt, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = attempt.Request.Model,
            ["messages"] = attempt.Messages.Select(m => new Dictionary<string, string> { ["role"] = m.Role.ToString().ToLowerInvariant(), ["content"] = m.Content }).ToList(),
            ["usage"] = attempt.IncludeUsage,
        };
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "chat")) { Content = JsonContent.Create(body) };
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw SourceFailures.ConnectionLost(ex, SecretRedactor.Default);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            ApiError error = document.RootElement.TryGetProperty("error", out JsonElement e) ? Error(e) : new ApiError(text, null, null, null);
            TimeSpan? retryAfter = RetryAfterParser.Parse(null, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
            ApiException failure = SourceFailures.FromStatus((int)response.StatusCode, error, retryAfter);
            if (attempt.IncludeUsage && response.StatusCode == HttpStatusCode.BadRequest && error.Type == "usage_unsupported")
            {
                throw new UsageRejectedException((int)response.StatusCode, failure);
            }

            throw failure;
        }
    }

    private static ApiError Error(JsonElement error) => new(String(error, "message"), String(error, "type"), null, null);

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
