using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Security;

/// <summary>
/// Several instances, for real: two services on real sockets share a real <c>redis-server</c>
/// (<c>WebApi:Redis:ConnectionString</c>, with a password), and a client's requests spread over both are limited once —
/// the per-client rate limit and the wrong-key limit. When Redis goes away each instance counts on its own (and says so
/// once); when it is back, they share again. Without Redis each instance counts on its own, as before.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RedisLimitTests
{
    private const string KeyOne = "key-one-0123456789";
    private const string KeyTwo = "key-two-0123456789";

    [Test]
    public async Task RateLimit_OneClientSpreadOverTwoInstances_IsLimitedOnce()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var logs = new RecordingLoggerProvider();
        await using var first = await ServiceHost.StartAsync(upstream, Settings(redis, permits: 3), kestrel: true, logs: logs);
        await using var second = await ServiceHost.StartAsync(upstream, Settings(redis, permits: 3), kestrel: true, logs: logs);

        HttpStatusCode[] spread = [await Status(first, KeyOne), await Status(second, KeyOne), await Status(first, KeyOne)];
        using HttpResponseMessage limitedOnSecond = await second.Client.SendAsync(Chat(KeyOne));
        using HttpResponseMessage limitedOnFirst = await first.Client.SendAsync(Chat(KeyOne));
        HttpStatusCode otherClient = await Status(second, KeyTwo);

        spread.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        limitedOnSecond.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the second instance counts the requests the first one let through");
        limitedOnFirst.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await Code(limitedOnSecond)).Should().Be("rate_limit_exceeded");
        int retryAfter = int.Parse(limitedOnSecond.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(3000, 3600, "the window Redis keeps for the client: one hour from its first request");
        otherClient.Should().Be(HttpStatusCode.OK, "each client has its own window");
        upstream.RequestCount.Should().Be(4);
        logs.Entries.Where(e => e.Id.Id == 11 && FromRedisCounters(e)).Should().HaveCount(2, "each instance says where it counts");
        logs.AllText.Should().NotContain(redis.Password).And.NotContain(KeyOne);
    }

    [Test]
    public async Task RateLimit_WithoutRedis_EachInstanceCountsItsOwn()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var first = await ServiceHost.StartAsync(upstream, Settings(null, permits: 3), kestrel: true);
        await using var second = await ServiceHost.StartAsync(upstream, Settings(null, permits: 3), kestrel: true);

        HttpStatusCode[] spread = [await Status(first, KeyOne), await Status(second, KeyOne), await Status(first, KeyOne), await Status(second, KeyOne)];
        HttpStatusCode[] firstAlone = [await Status(first, KeyOne), await Status(first, KeyOne)];

        spread.Should().OnlyContain(status => status == HttpStatusCode.OK, "two of three per instance");
        firstAlone.Should().Equal(HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task WrongKeys_SpreadOverTwoInstances_AreCountedOnce()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var logs = new RecordingLoggerProvider();
        Dictionary<string, string?> settings = Settings(redis, permits: 100);
        settings["WebApi:FailedAuthentication:PermitLimit"] = "3";
        await using var first = await ServiceHost.StartAsync(upstream, settings, kestrel: true, logs: logs);
        await using var second = await ServiceHost.StartAsync(upstream, settings, kestrel: true, logs: logs);

        HttpStatusCode[] wrong = [await Status(first, "wrong-key-1"), await Status(second, "wrong-key-2"), await Status(first, "wrong-key-3")];
        using HttpResponseMessage blocked = await second.Client.SendAsync(Chat(KeyOne));

        wrong.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized);
        blocked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the second instance saw one wrong key itself, the other two in Redis");
        (await Code(blocked)).Should().Be("too_many_failed_authentications");
        int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(250, 300, "the window opened at the first wrong key, 5 minutes long");
        logs.Entries.Where(e => e.Id.Id == 10 && e.Category.EndsWith("FailedAuthenticationLimiter", StringComparison.Ordinal)).Should().ContainSingle("only the instance that counted the third wrong key logs it");
        upstream.RequestCount.Should().Be(0);
        logs.AllText.Should().NotContain("wrong-key").And.NotContain(redis.Password);
    }

    [Test]
    public async Task RedisGoesDown_MidRun_EachInstanceCountsOnItsOwn_ThenSharesAgainWhenItIsBack()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var firstLogs = new RecordingLoggerProvider();
        var secondLogs = new RecordingLoggerProvider();
        await using var first = await ServiceHost.StartAsync(upstream, Settings(redis, permits: 3), kestrel: true, logs: firstLogs);
        await using var second = await ServiceHost.StartAsync(upstream, Settings(redis, permits: 3), kestrel: true, logs: secondLogs);
        HttpStatusCode[] shared = [await Status(first, KeyOne), await Status(second, KeyOne)];

        await redis.StopAsync();
        HttpStatusCode[] firstDuringOutage = [await Status(first, KeyOne), await Status(first, KeyOne), await Status(first, KeyOne), await Status(first, KeyOne)];
        HttpStatusCode secondDuringOutage = await Status(second, KeyOne);

        shared.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK);
        firstDuringOutage.Should().Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], "no 500 and no wait: the instance counts in memory, with the same limit");
        secondDuringOutage.Should().Be(HttpStatusCode.OK);
        foreach (RecordingLoggerProvider logs in (RecordingLoggerProvider[])[firstLogs, secondLogs])
        {
            logs.Entries.Where(e => e.Id.Id == 12 && FromRedisCounters(e)).Should().ContainSingle("the outage is logged once, not per request")
                .Which.Level.Should().Be(LogLevel.Warning);
        }

        await redis.RestartAsync();
        await Task.WhenAll(
            firstLogs.WaitForAsync(e => e.Id.Id == 13 && FromRedisCounters(e)).WaitAsync(TimeSpan.FromSeconds(60)),
            secondLogs.WaitForAsync(e => e.Id.Id == 13 && FromRedisCounters(e)).WaitAsync(TimeSpan.FromSeconds(60)));
        HttpStatusCode[] sharedAgain = [await Status(second, KeyOne), await Status(first, KeyOne), await Status(second, KeyOne), await Status(first, KeyOne)];

        sharedAgain.Should().Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], "the restarted Redis counts from zero, once for both");
        (firstLogs.AllText + secondLogs.AllText).Should().NotContain(redis.Password);
    }

    [Test]
    public async Task RedisUnreachableAtStart_TheServiceStartsAndCountsInMemory()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var logs = new RecordingLoggerProvider();
        await using var service = await ServiceHost.StartAsync(upstream, Settings(redis, permits: 2), kestrel: true, logs: logs);

        HttpStatusCode[] statuses = [await Status(service, KeyOne), await Status(service, KeyOne), await Status(service, KeyOne)];

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        logs.Entries.Where(e => e.Id.Id == 12 && FromRedisCounters(e)).Should().ContainSingle().Which.Message.Should().Contain($"127.0.0.1:{redis.Port}").And.NotContain(redis.Password);
    }

    [Test]
    public async Task RedisConnectionString_Unparsable_StopsTheStartNamingTheSettingButNotItsValue()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var settings = new Dictionary<string, string?> { ["WebApi:Redis:ConnectionString"] = "password=hunter2-secret,noSuchOption=1" };

        Func<Task> start = async () =>
        {
            await using ServiceHost service = await ServiceHost.StartAsync(upstream, settings);
        };

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("WebApi:Redis:ConnectionString").And.NotContain("hunter2");
    }

    [Test]
    public async Task DataProtection_IsNotUsed_SoNoKeyRingIsKeptOrWarnedAbout()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var logs = new RecordingLoggerProvider();
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ApiKeys:0"] = KeyOne }, logs: logs);

        (await Status(service, KeyOne)).Should().Be(HttpStatusCode.OK);
        (await service.Client.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK);

        service.Services.GetService<IDataProtectionProvider>().Should().BeNull("API keys are checked against hashes; nothing is protected, so there are no keys to share between instances");
        logs.Entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)).Should().BeEmpty();
    }

    private static Dictionary<string, string?> Settings(RedisServer? redis, int permits) => new()
    {
        ["WebApi:Redis:ConnectionString"] = redis?.ConnectionString,
        ["WebApi:RateLimit:Enabled"] = "true",
        ["WebApi:RateLimit:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WebApi:RateLimit:Window"] = "01:00:00",
        ["WebApi:ApiKeys:0"] = KeyOne,
        ["WebApi:ApiKeys:1"] = KeyTwo,
    };

    private static bool FromRedisCounters(RecordingLoggerProvider.Entry entry) => entry.Category.EndsWith(".RedisCounters", StringComparison.Ordinal);

    private static HttpRequestMessage Chat(string key)
    {
        HttpRequestMessage request = Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static async Task<HttpStatusCode> Status(ServiceHost service, string key)
    {
        using HttpResponseMessage response = await service.Client.SendAsync(Chat(key));
        return response.StatusCode;
    }

    private static async Task<string?> Code(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString();
}
