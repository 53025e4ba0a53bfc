namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>One health check's result: for <c>upstream</c>, data says <c>configured</c>, <c>mode</c>, <c>model</c> and <c>endpoint</c>.</summary>
internal sealed record HealthCheckEntry(string Status, string? Description, IReadOnlyDictionary<string, object>? Data);
