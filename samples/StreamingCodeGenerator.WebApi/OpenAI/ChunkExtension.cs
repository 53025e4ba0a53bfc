using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// The <c>x_scg</c> extension of a chunk, which standard clients ignore: what kind of text the delta is (explanation,
/// code or a fence line), the code block's language, index and file name, the exact output token count so far, and on
/// the last chunk the final stats.
/// </summary>
internal sealed record ChunkExtension(
    [property: Description("explanation, code, fence (a code fence line) or end (the last chunk).")] string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Language,
    int BlockIndex,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FileName,
    [property: Description("Exact output tokens so far, counted locally with the model's tokenizer.")] int Tokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GenerationStats? Stats = null);
