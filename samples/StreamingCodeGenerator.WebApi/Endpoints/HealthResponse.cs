namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>What <c>GET /health</c> answers: Healthy, Degraded or Unhealthy, and each check.</summary>
internal sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckEntry> Checks);
