using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>
/// A server that echoes the API key back, in every place a real proxy, gateway or hostile server could: the key must
/// appear in no exception (message, <c>ToString()</c>, inner exceptions, typed fields), no log line at Trace, no
/// activity tag or event, no stats field and no <c>OnRetry</c> argument. The answer text itself is never altered.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SecretLeakTests
{
    public static readonly string[] Keys =
    [
        ApiKey,
        "0123456789abcdef0123456789abcdef",                                               // Azure OpenAI: 32 hex digits
        "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQrStUvWxYz012345", // OpenAI project key
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string key in Keys)
        {
            foreach ((string name, Func<string, Func<HttpContext, Task>[]> scripts) in Scenarios())
            {
                yield return new TestCaseData(name, key, scripts).SetName($"Echo_{name}_{(key.Length == 32 ? "hex" : key[..7])}");
            }
        }
    }

    private static IEnumerable<(string Name, Func<string, Func<HttpContext, Task>[]> Scripts)> Scenarios()
    {
        // The body ends mid-answer (no finish reason): the client has every byte, so the delta surely reached the Trace log.
        yield return ("ContentDeltaThenCut", key => [Respond.Sse(SseEvents.Role(), SseEvents.Content("your key is " + key + "\n"))]);
        yield return ("FirstEventIdAndModel", key => [Respond.Sse(
            SseEvents.Data("{\"id\":\"" + key + "\",\"model\":\"" + key + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}"),
            SseEvents.Data("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"" + key + "\"},\"finish_reason\":\"" + key + "\"}]}"),
            SseEvents.Done)]);
        yield return ("ErrorEventBeforeContent", key => [Respond.Sse(SseEvents.ErrorEvent("Invalid key " + key)), Respond.Answer("ok")]);
        yield return ("ErrorEventMidStream", key => [Respond.Sse(SseEvents.Role(), SseEvents.Content("a"), SseEvents.ErrorEvent("Invalid key " + key))]);
        yield return ("SseErrorEventName", key => [Respond.Sse("event: error\ndata: key=" + key + "\n\n")]);
        yield return ("MalformedEventLine", key => [Respond.Sse(SseEvents.Role(), SseEvents.Content("a"), SseEvents.Data("{\"broken\": " + key))]);
        yield return ("MalformedLiteral", key => [Respond.Sse(SseEvents.Data("n" + key + "\"}"))]);
        yield return ("UnauthorizedCodeField", key => [Respond.Status(401, "{\"error\":{\"message\":\"no\",\"type\":\"" + key + "\",\"code\":\"" + key + "\",\"param\":\"" + key + "\"}}")]);
        yield return ("RequestIdHeader", key => [Respond.Error(500, "oops", headers: ("x-request-id", key)), Respond.Error(500, "oops", headers: ("x-request-id", key))]);
        yield return ("HtmlBadGateway", key => [Respond.Status(502, "<html><body><h1>502</h1><p>upstream rejected Authorization: Bearer " + key + "</p></body></html>", "text/html")]);
        yield return ("PartiallyMasked", key => [Respond.Error(401, "Incorrect API key provided: " + key[..8] + "*************" + key[^4..] + ".")]);
        yield return ("CaptivePortal", key => [Respond.Status(200, "<html>Sign in to continue, " + key + "</html>", "text/html")]);
        yield return ("BearerReflected", key => [Respond.Error(400, "Header was: authorization: bearer " + key)]);
        yield return ("RedirectLocation", key => [Respond.Status(302, string.Empty, "text/plain", ("Location", "https://elsewhere.example/v1?key=" + key))]);
        yield return ("RateLimited", key => [Respond.Error(429, "slow down " + key, headers: ("retry-after-ms", "1")), Respond.Error(429, "slow down " + key, headers: ("retry-after-ms", "1"))]);
        yield return ("NonStreamedJsonError", key => [Respond.Status(200, "{\"error\":{\"message\":\"bad key " + key + "\"}}")]);
    }

    /// <summary>The key echoed encoded: base64 (standard and URL-safe) of the key or of a header holding it, and hex.</summary>
    public static IEnumerable<TestCaseData> EncodedCases()
    {
        foreach (string key in Keys)
        {
            foreach ((string name, Func<string, string> encode, Func<string, Func<HttpContext, Task>[]> scripts) in EncodedScenarios())
            {
                yield return new TestCaseData(name, key, encode(key), scripts).SetName($"EncodedEcho_{name}_{(key.Length == 32 ? "hex" : key[..7])}");
            }
        }
    }

    private static IEnumerable<(string Name, Func<string, string> Encode, Func<string, Func<HttpContext, Task>[]> Scripts)> EncodedScenarios()
    {
        static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        static string Base64Url(string text) => Base64(text).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

        yield return ("Base64OfBasicCredentialsInError", key => Base64("user:" + key), echo => [Respond.Error(401, "Invalid credentials: Basic " + echo)]);
        yield return ("Base64OfBearerHeaderInErrorEvent", key => Base64("Bearer " + key), echo => [Respond.Sse(SseEvents.Role(), SseEvents.Content("a"), SseEvents.ErrorEvent("bad header " + echo))]);
        yield return ("Base64UrlOfKeyInErrorCode", key => Base64Url(key), echo => [Respond.Status(401, "{\"error\":{\"message\":\"no\",\"code\":\"" + echo + "\",\"param\":\"k=" + echo + "\"}}")]);
        yield return ("Base64OfJsonWithKeyInMalformedLine", key => Base64("{\"api_key\":\"" + key + "\"}"), echo => [Respond.Sse(SseEvents.Role(), SseEvents.Content("a"), SseEvents.Data("{\"broken\": " + echo))]);
        yield return ("HexOfKeyInRequestIdHeader", key => Hex(key).ToLowerInvariant(), echo => [Respond.Error(500, "oops", headers: ("x-request-id", echo)), Respond.Error(500, "oops", headers: ("x-request-id", echo))]);
        yield return ("HexOfBearerHeaderInHtml", key => Hex("Bearer " + key), echo => [Respond.Status(502, "<html><body>upstream rejected " + echo + "</body></html>", "text/html")]);
    }

    /// <summary>The native providers' own places: Anthropic's <c>x-api-key</c> echoed in its error body, its <c>request-id</c>, its error event; the Responses API's error event and failed response.</summary>
    public static IEnumerable<TestCaseData> NativeProviderCases()
    {
        const string anthropicKey = "sk-ant-api03-LeakTest0123456789abcdefABCDEFghijklMNOPQRstuvwxYZ-_0123456789AA";
        foreach ((string name, ModelProvider provider, Func<string, Func<HttpContext, Task>[]> scripts) in NativeProviderScenarios())
        {
            string key = provider == ModelProvider.Anthropic ? anthropicKey : Keys[2];
            yield return new TestCaseData(name, provider, key, scripts).SetName($"Echo_{provider}_{name}");
        }
    }

    private static IEnumerable<(string Name, ModelProvider Provider, Func<string, Func<HttpContext, Task>[]> Scripts)> NativeProviderScenarios()
    {
        static Func<HttpContext, Task> AnthropicBody(int status, string message, string requestId) => Respond.Status(
            status,
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"" + message + "\"},\"request_id\":\"" + requestId + "\"}",
            "application/json",
            ("request-id", requestId));

        yield return ("UnauthorizedEchoesXApiKey", ModelProvider.Anthropic, key => [Respond.AnthropicError(401, "authentication_error", "invalid x-api-key: " + key)]);
        yield return ("RequestIdHeaderAndBody", ModelProvider.Anthropic, key => [AnthropicBody(500, "oops", key), AnthropicBody(500, "oops", key)]);
        yield return ("Overloaded529Retried", ModelProvider.Anthropic, key => [Respond.AnthropicError(529, "overloaded_error", "Overloaded for " + key, ("retry-after", "0")), AnthropicBody(529, "x-api-key: " + key, "req_1")]);
        yield return ("ErrorEventMidStream", ModelProvider.Anthropic, key => [new AnthropicScript().MessageStart().Text("a").ErrorEvent("overloaded_error", "Overloaded for " + key)]);
        yield return ("IdModelAndStopReason", ModelProvider.Anthropic, key => [new AnthropicScript().WithId(key).WithModel(key).MessageStart().Text("hi").Stop(key)]);
        yield return ("ContentDeltaThenCut", ModelProvider.Anthropic, key => [new AnthropicScript().MessageStart().Text("your key is " + key + "\n").Cut()]);
        yield return ("UnauthorizedEchoesBearer", ModelProvider.OpenAIResponses, key => [Respond.Error(401, "Incorrect API key provided: Bearer " + key)]);
        yield return ("ErrorEventAndFailed", ModelProvider.OpenAIResponses, key => [new ResponsesScript().Created().Text("a").ErrorEvent("server_error", "bad key " + key).Failed("server_error", "bad key " + key)]);
        yield return ("IdAndModel", ModelProvider.OpenAIResponses, key => [new ResponsesScript().WithId(key).WithModel(key).Created().Text("hi").Incomplete(key)]);
    }

    [TestCaseSource(nameof(NativeProviderCases))]
    public async Task EchoedKey_NativeProviders_AppearsNowhere(string scenario, ModelProvider provider, string key, Func<string, Func<HttpContext, Task>[]> scripts)
    {
        _ = scenario;
        List<(string Where, string? Text)> places = await CollectPlacesAsync(key, scripts(key), provider);

        string[] fragments = [key, key[..10], key[^8..]];
        foreach ((string where, string? text) in places)
        {
            foreach (string fragment in fragments)
            {
                (text ?? string.Empty).Should().NotContain(fragment, "the key leaked into {0}", where);
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task EchoedKey_AppearsNowhere(string scenario, string key, Func<string, Func<HttpContext, Task>[]> scripts)
    {
        _ = scenario;
        List<(string Where, string? Text)> places = await CollectPlacesAsync(key, scripts(key));

        string[] fragments = [key, key[..8], key[^8..]];
        foreach ((string where, string? text) in places)
        {
            foreach (string fragment in fragments)
            {
                (text ?? string.Empty).Should().NotContain(fragment, "the key leaked into {0}", where);
            }
        }
    }

    [TestCaseSource(nameof(EncodedCases))]
    public async Task EncodedEcho_AppearsNowhere(string scenario, string key, string echo, Func<string, Func<HttpContext, Task>[]> scripts)
    {
        _ = scenario;
        List<(string Where, string? Text)> places = await CollectPlacesAsync(key, scripts(echo));

        // The echo whole, and a piece from its middle (the key's part), appear nowhere.
        string[] fragments = [echo, echo.Substring((echo.Length / 2) - 8, 16), key[..8], key[^8..]];
        foreach ((string where, string? text) in places)
        {
            foreach (string fragment in fragments)
            {
                (text ?? string.Empty).Should().NotContain(fragment, "the key's encoding leaked into {0}", where);
            }
        }
    }

    private static async Task<List<(string Where, string? Text)>> CollectPlacesAsync(string key, Func<HttpContext, Task>[] scripts, ModelProvider provider = ModelProvider.OpenAI)
    {
        string model = "leak-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StreamingCodeGenerator",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("gen_ai.request.model"), model))
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var server = await OpenAITestServer.StartAsync(scripts);
        var logger = new ListLogger();
        var retries = new ConcurrentQueue<RetryNotification>();
        StreamingCodeGeneratorOptions options = Options(server, maxRetries: 1);
        options.ApiKey = key;
        options.Model = model;
        options.Provider = provider;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        options.RetryMaxDelay = TimeSpan.FromMilliseconds(1);
        options.OnRetry = notification =>
        {
            retries.Enqueue(notification);
            return ValueTask.CompletedTask;
        };

        CodeGenerationStream stream = Create(options, logger).GenerateAsync("x");
        (Exception? error, _) = await CollectFailureAsync(stream);

        var places = new List<(string Where, string? Text)>();
        AddException(places, "exception", error);
        places.AddRange(logger.Entries.Select(e => ($"log {e.Id}", (string?)e.Message)));
        foreach (RetryNotification retry in retries)
        {
            AddException(places, "OnRetry", retry.Reason);
        }

        foreach (Activity activity in activities)
        {
            places.Add(("activity status", activity.StatusDescription));
            places.AddRange(activity.TagObjects.Select(t => ($"tag {t.Key}", Describe(t.Value))));
            places.AddRange(activity.Events.SelectMany(e => e.Tags).Select(t => ($"event tag {t.Key}", Describe(t.Value))));
        }

        AddStats(places, "stats", stream.Stats);
        places.Should().NotBeEmpty();
        return places;
    }

    [Test]
    public async Task EchoedKey_InTheAnswerText_IsDeliveredUnaltered()
    {
        string answer = "Set OPENAI_API_KEY=" + ApiKey + " and run it.";
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(answer));

        (string text, _) = await CollectAsync(Create(Options(server)).GenerateAsync("x"));

        text.Should().Be(answer);
    }

    private static void AddException(List<(string, string?)> places, string where, Exception? error)
    {
        if (error is null)
        {
            return;
        }

        places.Add((where + " ToString", error.ToString()));
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            places.Add((where + " message of " + e.GetType().Name, e.Message));
        }

        switch (error)
        {
            case ApiException api:
                places.Add((where + " ServerMessage", api.ServerMessage));
                places.Add((where + " ErrorCode", api.ErrorCode));
                places.Add((where + " ErrorType", api.ErrorType));
                places.Add((where + " RequestId", api.RequestId));
                break;
            case StreamInterruptedException interrupted:
                places.Add((where + " ErrorCode", interrupted.ErrorCode));
                places.Add((where + " ErrorType", interrupted.ErrorType));
                break;
            case MalformedResponseException malformed:
                places.Add((where + " OffendingLine", malformed.OffendingLine));
                break;
        }

        if (error is CodeGenerationException generation)
        {
            AddStats(places, where + " stats", generation.Stats);
        }
    }

    private static void AddStats(List<(string, string?)> places, string where, StreamStats stats)
    {
        places.Add((where + " ResponseId", stats.ResponseId));
        places.Add((where + " Model", stats.ModelId));
        places.Add((where + " RawFinishReason", stats.RawFinishReason));
        places.Add((where + " Refusal", stats.Refusal));
        places.Add((where + " ToString", stats.ToString()));
    }

    private static string? Describe(object? value) => value switch
    {
        null => null,
        string s => s,
        System.Collections.IEnumerable items => JsonSerializer.Serialize(items.Cast<object?>().Select(i => i?.ToString())),
        _ => value.ToString(),
    };
}
