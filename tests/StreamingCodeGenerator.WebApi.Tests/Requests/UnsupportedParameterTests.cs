using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Requests;

/// <summary>
/// Fields asking for what the service cannot do (tools, JSON output, log probabilities, several choices, audio, web
/// search, stored responses) are a 400 <c>unsupported_parameter</c> naming the field, on both OpenAI routes; their
/// default values, and the fields that change nothing a client relies on, are accepted.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UnsupportedParameterTests
{
    private const string ChatMessages = "\"messages\": [{\"role\": \"user\", \"content\": \"Write a bubble sort\"}]";
    private const string ResponsesInput = "\"input\": \"Write a bubble sort\"";

    public static IEnumerable<TestCaseData> RefusedChatFields()
    {
        yield return Case("tools", "[{\"type\": \"function\", \"function\": {\"name\": \"sort\", \"parameters\": {}}}]");
        yield return Case("tool_choice", "\"required\"");
        yield return Case("tool_choice", "{\"type\": \"function\", \"function\": {\"name\": \"sort\"}}");
        yield return Case("functions", "[{\"name\": \"sort\", \"parameters\": {}}]");
        yield return Case("function_call", "{\"name\": \"sort\"}");
        yield return Case("response_format", "{\"type\": \"json_object\"}");
        yield return Case("response_format", "{\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\", \"schema\": {}}}");
        yield return Case("logprobs", "true");
        yield return Case("top_logprobs", "3");
        yield return Case("n", "2");
        yield return Case("n", "0");
        yield return Case("audio", "{\"voice\": \"alloy\", \"format\": \"wav\"}");
        yield return Case("modalities", "[\"text\", \"audio\"]");
        yield return Case("web_search_options", "{}");
        yield return Case("logit_bias", "{\"50256\": -100}");
    }

    public static IEnumerable<TestCaseData> AcceptedChatFields()
    {
        yield return Case("tools", "[]");
        yield return Case("tool_choice", "\"none\"");
        yield return Case("tool_choice", "\"auto\"");
        yield return Case("functions", "[]");
        yield return Case("function_call", "\"none\"");
        yield return Case("response_format", "{\"type\": \"text\"}");
        yield return Case("logprobs", "false");
        yield return Case("top_logprobs", "0");
        yield return Case("n", "1");
        yield return Case("modalities", "[\"text\"]");
        yield return Case("logit_bias", "{}");
        yield return Case("tools", "null");
        yield return Case("seed", "42");
        yield return Case("user", "\"user-1\"");
        yield return Case("metadata", "{\"team\": \"a\"}");
        yield return Case("store", "true");
        yield return Case("parallel_tool_calls", "false");
        yield return Case("prediction", "{\"type\": \"content\", \"content\": \"def sort\"}");
        yield return Case("top_p", "0.9");
        yield return Case("frequency_penalty", "0.5");
        yield return Case("presence_penalty", "0.5");
        yield return Case("reasoning_effort", "\"low\"");
        yield return Case("service_tier", "\"auto\"");
    }

    public static IEnumerable<TestCaseData> RefusedResponsesFields()
    {
        yield return Case("tools", "[{\"type\": \"function\", \"name\": \"sort\", \"parameters\": {}}]");
        yield return Case("tools", "[{\"type\": \"web_search\"}]");
        yield return Case("tool_choice", "\"required\"");
        yield return Case("text", "{\"format\": {\"type\": \"json_schema\", \"name\": \"x\", \"schema\": {}}}", "text.format");
        yield return Case("text", "{\"format\": {\"type\": \"json_object\"}}", "text.format");
        yield return Case("previous_response_id", "\"resp_123\"");
        yield return Case("conversation", "\"conv_123\"");
        yield return Case("prompt", "{\"id\": \"pmpt_123\"}");
        yield return Case("background", "true");
        yield return Case("top_logprobs", "5");
        yield return Case("include", "[\"message.output_text.logprobs\"]");
    }

    public static IEnumerable<TestCaseData> AcceptedResponsesFields()
    {
        yield return Case("tools", "[]");
        yield return Case("tool_choice", "\"auto\"");
        yield return Case("text", "{\"format\": {\"type\": \"text\"}, \"verbosity\": \"low\"}");
        yield return Case("background", "false");
        yield return Case("include", "[\"reasoning.encrypted_content\"]");
        yield return Case("store", "false");
        yield return Case("metadata", "{\"team\": \"a\"}");
        yield return Case("parallel_tool_calls", "true");
        yield return Case("reasoning", "{\"effort\": \"low\"}");
        yield return Case("truncation", "\"auto\"");
        yield return Case("user", "\"user-1\"");
        yield return Case("top_p", "1");
    }

    [TestCaseSource(nameof(RefusedChatFields))]
    public Task ChatCompletions_FieldAskingForWhatTheServiceCannotDo_Is400UnsupportedParameter(string field, string value, string param) =>
        AssertRefusedAsync("/v1/chat/completions", ChatMessages, field, value, param);

    [TestCaseSource(nameof(AcceptedChatFields))]
    public Task ChatCompletions_HarmlessValue_IsAccepted(string field, string value, string param) =>
        AssertAcceptedAsync("/v1/chat/completions", ChatMessages, field, value);

    [TestCaseSource(nameof(RefusedResponsesFields))]
    public Task Responses_FieldAskingForWhatTheServiceCannotDo_Is400UnsupportedParameter(string field, string value, string param) =>
        AssertRefusedAsync("/v1/responses", ResponsesInput, field, value, param);

    [TestCaseSource(nameof(AcceptedResponsesFields))]
    public Task Responses_HarmlessValue_IsAccepted(string field, string value, string param) =>
        AssertAcceptedAsync("/v1/responses", ResponsesInput, field, value);

    private static TestCaseData Case(string field, string value, string? param = null) =>
        new TestCaseData(field, value, param ?? field).SetArgDisplayNames(field + "=" + value);

    private static async Task AssertRefusedAsync(string path, string task, string field, string value, string param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(path, $"{{\"model\": \"gpt-4o-mini\", {task}, \"{field}\": {value}}}"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("unsupported_parameter");
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("param").GetString().Should().Be(param);
        error.GetProperty("message").GetString().Should().StartWith($"Unsupported parameter: '{param}': this service ");
        upstream.RequestCount.Should().Be(0);
    }

    private static async Task AssertAcceptedAsync(string path, string task, string field, string value)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("Sorted."));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(path, $"{{\"model\": \"gpt-4o-mini\", {task}, \"{field}\": {value}}}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        upstream.RequestCount.Should().Be(1);
        upstream.Requests[0].Json.TryGetProperty(field, out _).Should().BeFalse("the service builds its own request to the model and does not pass the field on");
    }
}
