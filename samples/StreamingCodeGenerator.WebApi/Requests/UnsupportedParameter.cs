using System.Text.Json;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// An OpenAI request field the service cannot honour: its name (a path such as <c>text.format</c>), which values are
/// harmless (the default, or an empty list: accepted), and why any other value is refused.
/// </summary>
internal sealed record UnsupportedParameter(string Name, Func<JsonElement, bool> IsHarmless, string Reason);
