using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.OpenAI;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the configured and allowed models, in OpenAI's shapes.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ModelsTests
{
    private static Dictionary<string, string?> Allowed(params string[] models)
    {
        var settings = new Dictionary<string, string?> { ["StreamingCodeGenerator:Model"] = "gpt-4.1-mini" };
        for (int i = 0; i < models.Length; i++)
        {
            settings["WebApi:AllowedModels:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = models[i];
        }

        return settings;
    }

    [Test]
    public async Task List_IsTheConfiguredModelThenEachAllowedModelOnce_InOpenAIsListShape()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, Allowed("gpt-4o", "gpt-4.1-mini", "meta-llama/Llama-3.3-70B"));

        using HttpResponseMessage response = await service.Client.GetAsync("/v1/models");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        JsonElement list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        list.GetProperty("object").GetString().Should().Be("list");
        JsonElement[] data = [.. list.GetProperty("data").EnumerateArray()];
        data.Select(model => model.GetProperty("id").GetString()).Should().Equal("gpt-4.1-mini", "gpt-4o", "meta-llama/Llama-3.3-70B");
        data.Should().OnlyContain(model =>
            model.GetProperty("object").GetString() == "model"
            && model.GetProperty("created").GetInt64() > 1_600_000_000
            && model.GetProperty("owned_by").GetString() == "system");
        upstream.RequestCount.Should().Be(0, "listing models never calls the model");
    }

    [TestCase("gpt-4o", "gpt-4o")]
    [TestCase("gpt-4.1-mini", "gpt-4.1-mini")]
    [TestCase("meta-llama/Llama-3.3-70B", "meta-llama/Llama-3.3-70B")]
    [TestCase("meta-llama%2FLlama-3.3-70B", "meta-llama/Llama-3.3-70B")]
    public async Task Retrieve_AListedModel_IsThatModel(string path, string id)
    {
        await using var service = await ServiceHost.StartAsync(upstream: null, Allowed("gpt-4o", "meta-llama/Llama-3.3-70B"));

        using HttpResponseMessage response = await service.Client.GetAsync("/v1/models/" + path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement model = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        model.GetProperty("id").GetString().Should().Be(id);
        model.GetProperty("object").GetString().Should().Be("model");
    }

    [Test]
    public async Task Retrieve_AnotherModel_Is404ModelNotFound()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null, Allowed());

        using HttpResponseMessage response = await service.Client.GetAsync("/v1/models/gpt-5");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("model_not_found");
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("param").GetString().Should().Be("model");
        error.GetProperty("message").GetString().Should().Contain("'gpt-5'").And.Contain("GET /v1/models");
    }

    [Test]
    public async Task List_WithApiKeys_NeedsAKey_ButIsNotRateLimited()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["WebApi:ApiKeys:0"] = "service-key-0123456789",
            ["WebApi:RateLimit:Enabled"] = "true",
            ["WebApi:RateLimit:PermitLimit"] = "1",
        });

        async Task<HttpStatusCode> SendAsync(HttpRequestMessage request, string? key)
        {
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using HttpResponseMessage response = await service.Client.SendAsync(request);
            return response.StatusCode;
        }

        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/models"), null)).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/models"), "service-key-0123456789")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/models/gpt-4o-mini"), "service-key-0123456789")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}"), "service-key-0123456789")).Should().Be(HttpStatusCode.OK, "the model list did not use the one request of the window");
        (await SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}"), "service-key-0123456789")).Should().Be(HttpStatusCode.TooManyRequests);
        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/models"), "service-key-0123456789")).Should().Be(HttpStatusCode.OK);
    }
}
