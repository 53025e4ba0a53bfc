using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// How the service writes JSON, in one place: <see cref="WebApiJsonSerializerContext"/>'s types with an encoder that
/// leaves text as text. The default encoder escapes every character outside ASCII and HTML-sensitive ones (<c>'</c>,
/// <c>&lt;</c>, <c>+</c>, <c>`</c>), which multiplies the bytes of a non-English answer and of code; nothing the
/// service writes is put into HTML by a parser (the page inserts text as text), so only what JSON requires is escaped:
/// <c>"</c>, <c>\</c> and control characters. Characters outside the Basic Multilingual Plane (an emoji) are still
/// written as a surrogate-pair escape, which every JSON reader turns back into the character.
/// </summary>
internal static class WebApiJsonContext
{
    /// <summary>The encoder: only what JSON requires is escaped.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Gets the types, writing with <see cref="Encoder"/>.</summary>
    public static WebApiJsonSerializerContext Default { get; } = new(new JsonSerializerOptions(WebApiJsonSerializerContext.Default.Options) { Encoder = Encoder });

    /// <summary>Writer options for JSON written straight into a response (server-sent events).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder, SkipValidation = true };

    /// <summary>
    /// Gets the types for server-sent events, written into a writer made with <see cref="WriterOptions"/>: the generated
    /// context itself, whose options have no encoder. Only such options take the source generator's fast path, which
    /// writes straight into the writer; with an encoder in the options every value goes through the serializer's general
    /// path, which allocates its state per call (once per event of every stream). The writer's encoder escapes the text,
    /// so the bytes are those <see cref="Default"/> would write.
    /// </summary>
    public static WebApiJsonSerializerContext Events => WebApiJsonSerializerContext.Default;
}
