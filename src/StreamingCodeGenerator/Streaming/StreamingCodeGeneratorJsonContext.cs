using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>
/// Source-generated JSON metadata for the library's public results (<see cref="Chunk"/> with its <see cref="CodeFence"/>,
/// <see cref="CodeBlock"/>, <see cref="CodeGenerationResult"/>, <see cref="StreamStats"/>, <see cref="TokenUsage"/>), so a web host can
/// re-serve them and a .NET client can read them back, trimming- and AOT-safe. Property names are camelCase, enums
/// are strings, nulls are left out.
/// </summary>
/// <example>
/// <code>
/// string json = JsonSerializer.Serialize(chunk, StreamingCodeGeneratorJsonContext.Default.Chunk);
/// Chunk back = JsonSerializer.Deserialize(json, StreamingCodeGeneratorJsonContext.Default.Chunk)!;
/// </code>
/// </example>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Chunk))]
[JsonSerializable(typeof(CodeBlock))]
[JsonSerializable(typeof(CodeGenerationResult))]
[JsonSerializable(typeof(StreamStats))]
[JsonSerializable(typeof(TokenUsage))]
public sealed partial class StreamingCodeGeneratorJsonContext : JsonSerializerContext
{
}
