using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>What a chunk adds: the role on the first, then text.</summary>
internal sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null);
