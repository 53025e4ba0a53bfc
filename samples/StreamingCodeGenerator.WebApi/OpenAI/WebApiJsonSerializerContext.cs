using System.Text.Json;
using System.Text.Json.Serialization;
using StreamingCodeGeneration.WebApi.Endpoints;
using StreamingCodeGeneration.WebApi.Requests;
using StreamingCodeGeneration.WebApi.Runs;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// Source-generated JSON for everything the service writes. snake_case, as OpenAI's wire format and the earlier Python
/// service's <c>repoUrl</c>-free responses use; nulls are written where OpenAI writes them (<c>finish_reason</c>,
/// <c>logprobs</c>). Use it through <see cref="WebApiJsonContext.Default"/>, which writes text unescaped.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(OpenAIErrorResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseLifecycleEvent))]
[JsonSerializable(typeof(ResponseOutputItemEvent))]
[JsonSerializable(typeof(ResponseContentPartEvent))]
[JsonSerializable(typeof(ResponseTextDeltaEvent))]
[JsonSerializable(typeof(ResponseTextDoneEvent))]
[JsonSerializable(typeof(ResponseErrorEvent))]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(GenerateCodeRequest))]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(WelcomeResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(RunProgressEvent))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(IReadOnlyList<RunSummary>))]
[JsonSerializable(typeof(RunDetails))]
internal sealed partial class WebApiJsonSerializerContext : JsonSerializerContext
{
}
