// The web service: POST /generate-code (plain text), POST /v1/chat/completions (OpenAI-compatible SSE), POST /run
// (repository transform), GET / (a page for a browser), /health, /openapi/v1.json and /docs. See README.md.
using StreamingCodeGeneration.WebApi.Hosting;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddCodeGenerationService();

WebApplication app = builder.Build();
app.MapCodeGenerationService();
app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
