namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>What <c>GET /</c> answers an API client (the earlier Python service's welcome message, plus where to go next).</summary>
internal sealed record WelcomeResponse(string Message, string Docs, string Openapi, IReadOnlyList<string> Endpoints);
