using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Hosting;

[Parallelizable(ParallelScope.All)]
public sealed class ServiceTests
{
    [Test]
    public async Task Root_FromABrowser_IsThePageWithAStrictContentSecurityPolicy()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using HttpResponseMessage response = await service.Client.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("<textarea id=\"prompt\"");
        string policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Contain("default-src 'none'").And.Contain("script-src 'sha256-").And.NotContain("unsafe-inline");
    }

    [TestCase("*/*")]
    [TestCase("application/json")]
    public async Task Root_FromAnApiClient_IsTheWelcomeJson(string accept)
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd(accept);

        using HttpResponseMessage response = await service.Client.SendAsync(request);

        JsonElement welcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        welcome.GetProperty("message").GetString().Should().Be("Welcome to the Streaming Code Generator API");
        response.Headers.Vary.Should().Contain("Accept");
    }

    [Test]
    public async Task Health_WithAModel_IsHealthyAndSaysItIsConfigured()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        JsonElement health = JsonDocument.Parse(await service.Client.GetStringAsync("/health")).RootElement;

        health.GetProperty("status").GetString().Should().Be("Healthy");
        health.GetProperty("checks").GetProperty("live").GetProperty("status").GetString().Should().Be("Healthy");
        health.GetProperty("checks").GetProperty("upstream").GetProperty("data").GetProperty("configured").GetBoolean().Should().BeTrue();
        upstream.RequestCount.Should().Be(0, "a health probe never spends tokens");
    }

    [Test]
    public async Task NoModelConfigured_ServesTheOfflineDemoAndSaysSo()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        JsonElement health = JsonDocument.Parse(await service.Client.GetStringAsync("/health")).RootElement;
        using HttpResponseMessage answer = await service.Client.SendAsync(Json.Post("/generate-code", "{\"prompt\": \"Sort a list\"}"));

        health.GetProperty("status").GetString().Should().Be("Degraded");
        JsonElement upstreamCheck = health.GetProperty("checks").GetProperty("upstream");
        upstreamCheck.GetProperty("data").GetProperty("mode").GetString().Should().Be("offline-demo");
        upstreamCheck.GetProperty("description").GetString().Should().Contain("OPENAI_API_KEY");
        string text = await answer.Content.ReadAsStringAsync();
        text.Should().Contain("```csharp title=\"BubbleSort.cs\"").And.Contain("public static void Sort<T>(IList<T> items)").And.Contain("Offline demo");
    }

    [Test]
    public async Task OpenApi_DescribesEveryEndpointRequestAndErrorShape()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        JsonElement document = JsonDocument.Parse(await service.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        using HttpResponseMessage ui = await service.Client.GetAsync("/docs/index.html");

        JsonElement paths = document.GetProperty("paths");
        paths.EnumerateObject().Select(p => p.Name).Should().Contain(["/", "/health", "/generate-code", "/v1/chat/completions", "/run", "/run/stream", "/runs", "/runs/{id}"]);
        JsonElement chat = paths.GetProperty("/v1/chat/completions").GetProperty("post");
        chat.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).Should().Contain(["messages", "prompt", "max_tokens", "max_completion_tokens", "stream_options", "stop"]);
        chat.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("text/event-stream").GetRawText().Should().Contain("x_scg").And.Contain("choices");
        chat.GetProperty("responses").EnumerateObject().Select(r => r.Name).Should().Contain(["200", "400", "413", "429", "502", "504"]);
        paths.GetProperty("/generate-code").GetProperty("post").GetProperty("responses").GetProperty("429").GetRawText().Should().Contain("problem+json");
        JsonElement schemas = document.GetProperty("components").GetProperty("schemas");
        schemas.EnumerateObject().Select(s => s.Name).Should().Contain(["OpenAIErrorResponse", "ProblemDetails", "ChatCompletion", "RunResponse", "RunSummary", "HealthResponse"]);
        paths.GetProperty("/generate-code").GetProperty("post").GetProperty("requestBody").GetRawText().Should().Contain("prompt").And.Contain("language");
        ui.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ui.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Test]
    public async Task OpenApi_TurnedOff_IsNotServed()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null, new Dictionary<string, string?> { ["WebApi:ApiDocs"] = "false" });

        (await service.Client.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await service.Client.GetAsync("/docs/index.html")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task RateLimit_PerClient_Answers429WithRetryAfterInTheRoutesShape()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["WebApi:RateLimit:Enabled"] = "true",
            ["WebApi:RateLimit:PermitLimit"] = "2",
            ["WebApi:RateLimit:Window"] = "01:00:00",
            ["WebApi:ApiKeys:0"] = "key-one-0123456789",
            ["WebApi:ApiKeys:1"] = "key-two-0123456789",
        });

        HttpRequestMessage Chat(string key)
        {
            HttpRequestMessage request = Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return request;
        }

        (await service.Client.SendAsync(Chat("key-one-0123456789"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await service.Client.SendAsync(Chat("key-one-0123456789"))).StatusCode.Should().Be(HttpStatusCode.OK);
        using HttpResponseMessage limited = await service.Client.SendAsync(Chat("key-one-0123456789"));
        using HttpResponseMessage plain = await service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/generate-code")
        {
            Content = Json.Body("{\"prompt\": \"x\"}"),
            Headers = { { "api-key", "key-one-0123456789" } },
        });
        using HttpResponseMessage otherClient = await service.Client.SendAsync(Chat("key-two-0123456789"));

        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        int.Parse(limited.Headers.GetValues("Retry-After").Single()).Should().BePositive();
        JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("rate_limit_exceeded");
        plain.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        plain.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        otherClient.StatusCode.Should().Be(HttpStatusCode.OK, "each client has its own window");
        upstream.RequestCount.Should().Be(3);
    }

    [Test]
    public async Task ApiKeys_Configured_GuardTheApiButNotThePageOrHealth()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ApiKeys:0"] = "service-key-0123456789" });

        using HttpResponseMessage none = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}"));
        HttpRequestMessage wrongRequest = Json.Post("/generate-code", "{\"prompt\": \"x\"}");
        wrongRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key");
        using HttpResponseMessage wrong = await service.Client.SendAsync(wrongRequest);
        HttpRequestMessage bearerRequest = Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}");
        bearerRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "service-key-0123456789");
        using HttpResponseMessage bearer = await service.Client.SendAsync(bearerRequest);
        HttpRequestMessage apiKeyRequest = Json.Post("/generate-code", "{\"prompt\": \"x\"}");
        apiKeyRequest.Headers.Add("api-key", "service-key-0123456789");
        using HttpResponseMessage apiKey = await service.Client.SendAsync(apiKeyRequest);

        none.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        JsonDocument.Parse(await none.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("missing_api_key");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString().Should().Be("invalid_api_key");
        (await wrong.Content.ReadAsStringAsync()).Should().NotContain("wrong-key");
        bearer.StatusCode.Should().Be(HttpStatusCode.OK);
        apiKey.StatusCode.Should().Be(HttpStatusCode.OK);
        (await service.Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await service.Client.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK);
        upstream.RequestCount.Should().Be(2);
    }

    [Test]
    public async Task Cors_AllowsOnlyTheConfiguredOrigins()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null, new Dictionary<string, string?> { ["WebApi:Cors:AllowedOrigins:0"] = "https://app.example" });

        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
            return await service.Client.SendAsync(request);
        }

        using HttpResponseMessage allowed = await PreflightAsync("https://app.example");
        using HttpResponseMessage refused = await PreflightAsync("https://evil.example");

        allowed.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("https://app.example");
        refused.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Test]
    public async Task TwoHundredConcurrentStreams_EachReceiveTheirOwnExactText()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role()
            .ContentFrom(request => "Answer to " + request.Messages[^1].Content + ":\n```text\n")
            .ContentFrom(request => request.Messages[^1].Content + " done\n```\n")
            .Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        string[] answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/chat/completions", $"{{\"prompt\": \"task {i}\", \"stream\": true}}"));
            return EventStream.Text(await response.Content.ReadAsStringAsync());
        }));

        for (int i = 0; i < answers.Length; i++)
        {
            answers[i].Should().Be($"Answer to task {i}:\n```text\ntask {i} done\n```\n");
        }
    }

    [Test]
    public async Task Shutdown_StreamThatFinishesWithinTheGracePeriod_IsDeliveredWhole()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("before ").WaitFor(release.Task).Content("after").Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ShutdownGracePeriod"] = "00:00:30" }, kestrel: true);
        var stopping = new TaskCompletionSource();
        service.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("generate-code", "{\"prompt\": \"x\"}"), HttpCompletionOption.ResponseHeadersRead);
        Task stop = service.StopAsync();
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();

        (await response.Content.ReadAsStringAsync()).Should().Be("before after");
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task Shutdown_AfterTheGracePeriod_EndsRunningStreamsInBandAndCancelsTheUpstream()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("before ").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ShutdownGracePeriod"] = "00:00:00" }, kestrel: true);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/chat/completions", "{\"prompt\": \"x\", \"stream\": true}"), HttpCompletionOption.ResponseHeadersRead);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        (await reader.ReadLineAsync()).Should().StartWith("data: {");
        Task stop = service.StopAsync();
        string rest = await reader.ReadToEndAsync();

        JsonDocument.Parse(EventStream.Parse(rest)[^1].Data).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("service_unavailable");
        await upstream.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
