namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// A streamed response's state: <c>response.created</c>, <c>response.in_progress</c>, and at the end one of
/// <c>response.completed</c>, <c>response.incomplete</c> or <c>response.failed</c>.
/// </summary>
internal sealed record ResponseLifecycleEvent(string Type, int SequenceNumber, ResponseObject Response);
