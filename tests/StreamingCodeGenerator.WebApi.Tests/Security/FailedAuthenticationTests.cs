using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Security;

/// <summary>
/// Wrong API keys are counted per client address (over real sockets, from 127.0.0.1 and 127.0.0.2): past the limit
/// the address gets 429 with Retry-After for any key until its window ends, on the service's clock. X-Forwarded-For is
/// believed only when forwarded headers are enabled.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FailedAuthenticationTests
{
    private const string RightKey = "service-key-0123456789";

    [Test]
    public async Task WrongKeys_PastTheLimit_Are429ForAnyKeyFromThatAddressUntilTheWindowEnds()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var clock = new TimerAwareFakeTimeProvider();
        var logs = new RecordingLoggerProvider();
        await using var service = await ServiceHost.StartAsync(upstream, Settings(limit: 3, window: "00:01:00"), kestrel: true, logs: logs, time: clock);
        using HttpClient first = Client(service, "127.0.0.1");
        using HttpClient second = Client(service, "127.0.0.2");

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage wrong = await first.SendAsync(Chat("wrong-key-" + i));
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await Code(wrong)).Should().Be("invalid_api_key");
        }

        using HttpResponseMessage limited = await first.SendAsync(Chat("wrong-key-3"));
        using HttpResponseMessage rightKeyLimited = await first.SendAsync(Chat(RightKey));
        using HttpResponseMessage plainLimited = await first.SendAsync(Plain(RightKey));
        using HttpResponseMessage otherAddress = await second.SendAsync(Chat(RightKey));
        using HttpResponseMessage otherAddressWrong = await second.SendAsync(Chat("wrong-key"));

        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.GetValues("Retry-After").Single().Should().Be("60");
        (await Code(limited)).Should().Be("too_many_failed_authentications");
        rightKeyLimited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a blocked address's keys are not checked, so the answer tells nothing about them");
        plainLimited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        plainLimited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await Code(plainLimited)).Should().Be("too_many_failed_authentications");
        otherAddress.StatusCode.Should().Be(HttpStatusCode.OK, "each address has its own count");
        otherAddressWrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        clock.Advance(TimeSpan.FromSeconds(45));
        using HttpResponseMessage stillLimited = await first.SendAsync(Chat(RightKey));
        stillLimited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        stillLimited.Headers.GetValues("Retry-After").Single().Should().Be("15");

        clock.Advance(TimeSpan.FromSeconds(15));
        using HttpResponseMessage afterWindow = await first.SendAsync(Chat(RightKey));
        using HttpResponseMessage wrongAfterWindow = await first.SendAsync(Chat("wrong-key-4"));
        afterWindow.StatusCode.Should().Be(HttpStatusCode.OK);
        wrongAfterWindow.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a new window counts from zero");

        upstream.RequestCount.Should().Be(2);
        logs.Entries.Where(e => e.Category.EndsWith("FailedAuthenticationLimiter", StringComparison.Ordinal) && e.Id.Id == 10).Should().ContainSingle().Which.Message.Should().Contain("127.0.0.1").And.NotContain("wrong-key");
        logs.AllText.Should().NotContain("wrong-key").And.NotContain(RightKey);
    }

    [Test]
    public async Task TwoHundredWrongKeys_WithTheDefaultLimit_AreTen401sThen429s()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ApiKeys:0"] = RightKey }, kestrel: true);
        using HttpClient client = Client(service, "127.0.0.1");

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 200; i++)
        {
            using HttpResponseMessage response = await client.SendAsync(Chat("wrong-key-" + i));
            statuses.Add(response.StatusCode);
        }

        statuses.Take(10).Should().AllBeEquivalentTo(HttpStatusCode.Unauthorized);
        statuses.Skip(10).Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests);
        upstream.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task XForwardedFor_WithoutForwardedHeadersEnabled_IsNotBelieved()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream, Settings(limit: 2, window: "00:10:00"), kestrel: true);
        using HttpClient client = Client(service, "127.0.0.1");

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.SendAsync(Chat("wrong-key", forwardedFor: "203.0.113." + (i + 1)));
            statuses.Add(response.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task XForwardedFor_WithForwardedHeadersEnabled_CountsTheForwardedAddress_IPv6PerSlash64()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        Dictionary<string, string?> settings = Settings(limit: 2, window: "00:10:00");
        settings["FORWARDEDHEADERS_ENABLED"] = "true";
        await using var service = await ServiceHost.StartAsync(upstream, settings, kestrel: true);
        using HttpClient client = Client(service, "127.0.0.1");

        async Task<HttpStatusCode> SendAsync(string key, string forwardedFor)
        {
            using HttpResponseMessage response = await client.SendAsync(Chat(key, forwardedFor));
            return response.StatusCode;
        }

        (await SendAsync("wrong-key", "203.0.113.5")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync("wrong-key", "203.0.113.5")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(RightKey, "203.0.113.5")).Should().Be(HttpStatusCode.TooManyRequests);
        (await SendAsync(RightKey, "203.0.113.6")).Should().Be(HttpStatusCode.OK, "another forwarded client has its own count");

        (await SendAsync("wrong-key", "2001:db8::1")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync("wrong-key", "2001:db8::2")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(RightKey, "2001:db8::ffff:1")).Should().Be(HttpStatusCode.TooManyRequests, "an IPv6 host usually holds a whole /64");
        (await SendAsync(RightKey, "2001:db8:0:1::1")).Should().Be(HttpStatusCode.OK, "another /64 is another client");
    }

    [Test]
    public async Task NoApiKeysConfigured_KeysAreNeitherCheckedNorCounted()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:FailedAuthentication:PermitLimit"] = "1" }, kestrel: true);
        using HttpClient client = Client(service, "127.0.0.1");

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.SendAsync(Chat("sk-whatever-an-openai-client-sends"));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    private static Dictionary<string, string?> Settings(int limit, string window) => new()
    {
        ["WebApi:ApiKeys:0"] = RightKey,
        ["WebApi:FailedAuthentication:PermitLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WebApi:FailedAuthentication:Window"] = window,
    };

    private static HttpRequestMessage Chat(string key, string? forwardedFor = null)
    {
        HttpRequestMessage request = Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return request;
    }

    private static HttpRequestMessage Plain(string key)
    {
        HttpRequestMessage request = Json.Post("/generate-code", "{\"prompt\": \"x\"}");
        request.Headers.Add("api-key", key);
        return request;
    }

    private static async Task<string?> Code(HttpResponseMessage response)
    {
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.TryGetProperty("error", out JsonElement error) ? error : body).GetProperty("code").GetString();
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x.y.z reaches the service on Linux).</summary>
    private static HttpClient Client(ServiceHost service, string localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = service.BaseAddress };
    }
}
