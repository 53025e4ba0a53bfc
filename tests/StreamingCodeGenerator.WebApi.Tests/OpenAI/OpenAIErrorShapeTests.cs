using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.OpenAI;

/// <summary>
/// Errors that happen before any endpoint runs still answer OpenAI's error object under <c>/v1</c>, with OpenAI's
/// types and codes: an unknown path (404 <c>unknown_url</c>), a wrong method (405), a wrong or missing key (401
/// <c>invalid_request_error</c>).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class OpenAIErrorShapeTests
{
    [TestCase("GET", "/v1/completions")]
    [TestCase("POST", "/v1/completions")]
    [TestCase("POST", "/v1/embeddings")]
    [TestCase("GET", "/v1")]
    [TestCase("DELETE", "/v1/chat/completions/abc")]
    public async Task UnknownPathUnderV1_Is404UnknownUrl_InOpenAIsErrorObject(string method, string path)
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        using HttpResponseMessage response = await service.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        JsonElement error = await ErrorAsync(response);
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("unknown_url");
        error.GetProperty("param").ValueKind.Should().Be(JsonValueKind.Null);
        error.GetProperty("message").GetString().Should().StartWith($"Unknown request URL: {method} {path}.").And.Contain("POST /v1/chat/completions");
    }

    [Test]
    public async Task UnknownPathUnderV1_AVeryLongOne_IsShownCut()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        using HttpResponseMessage response = await service.Client.GetAsync("/v1/" + new string('a', 5000));

        string message = (await ErrorAsync(response)).GetProperty("message").GetString()!;
        message.Should().Contain("/v1/" + new string('a', 96) + "…").And.NotContain(new string('a', 97));
    }

    [Test]
    public async Task UnknownPathElsewhere_StaysAnEmpty404()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        using HttpResponseMessage response = await service.Client.GetAsync("/v2/models");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
    }

    [TestCase("GET", "/v1/chat/completions", "POST")]
    [TestCase("PUT", "/v1/chat/completions", "POST")]
    [TestCase("POST", "/v1/models", "GET")]
    public async Task WrongMethodOnAKnownPath_Is405_InOpenAIsErrorObject(string method, string path, string allowed)
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        using HttpResponseMessage response = await service.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json.Body("{}") });

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Contain(allowed);
        JsonElement error = await ErrorAsync(response);
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("method_not_allowed");
        error.GetProperty("message").GetString().Should().Be($"Invalid method for URL ({method} {path}): use {allowed}.");
    }

    [Test]
    public async Task WrongOrMissingKey_Is401InvalidRequestError_AsOpenAIAnswers()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ApiKeys:0"] = "service-key-0123456789" });

        HttpRequestMessage wrongRequest = Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}");
        wrongRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong-0123456789");
        using HttpResponseMessage wrong = await service.Client.SendAsync(wrongRequest);
        using HttpResponseMessage missing = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"x\"}"));

        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        JsonElement wrongError = await ErrorAsync(wrong);
        wrongError.GetProperty("type").GetString().Should().Be("invalid_request_error");
        wrongError.GetProperty("code").GetString().Should().Be("invalid_api_key");
        wrongError.GetProperty("message").GetString().Should().StartWith("Incorrect API key provided.").And.NotContain("sk-wrong").And.NotContain("0123456789");
        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        JsonElement missingError = await ErrorAsync(missing);
        missingError.GetProperty("type").GetString().Should().Be("invalid_request_error");
        missingError.GetProperty("code").GetString().Should().Be("missing_api_key");
        missingError.GetProperty("message").GetString().Should().StartWith("You didn't provide an API key.");
        upstream.RequestCount.Should().Be(0);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
}
