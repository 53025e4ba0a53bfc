using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// <c>--json</c>: one JSON object per line for scripts and editors. Each chunk as the library's JSON for
/// <see cref="Chunk"/> (<see cref="StreamingCodeGeneratorJsonContext"/>), then one final object: <c>{"result":…}</c>
/// holding the <see cref="CodeGenerationResult"/> (with <c>chunkCount</c> and the <c>saved</c> files), or
/// <c>{"error":{"exitCode":…,"message":…,"partialText":…,"stats":…}}</c>. The texts of the chunk lines concatenate to
/// exactly the answer.
/// </summary>
/// <remarks>
/// Text stays readable: <c>'</c>, <c>`</c>, <c>&lt;</c>, <c>+</c> and letters such as <c>é</c> or <c>中</c> are written
/// as themselves (UTF-8), not as <c>\u0027</c>. Escaped are what JSON requires (<c>"</c>, <c>\</c>, U+0000–U+001F),
/// every other character a terminal would act on (DEL, the C1 controls, the bidirectional overrides and isolates, see
/// <see cref="TerminalText"/>), the line separators U+2028 and U+2029, and characters beyond U+FFFF (an emoji is written
/// as its surrogate pair, <c>\uD83C\uDF89</c>): any JSON parser reads them back exactly. The relaxed encoder is
/// "unsafe" only for JSON pasted into HTML or a script, which these lines are not.
/// </remarks>
internal sealed class JsonLinesOutput : IAnswerOutput
{
    private static readonly StreamingCodeGeneratorJsonContext Json = new(
        new JsonSerializerOptions(StreamingCodeGeneratorJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private readonly TextWriter _output;
    private readonly TextWriter _messages;
    private readonly bool _messagesShowControls;
    private int _chunks;

    /// <param name="output">Where the JSON lines go (every control character escaped, so they are safe on a terminal too).</param>
    /// <param name="messages">Where the one-line error goes.</param>
    /// <param name="messagesShowControls">Whether <paramref name="messages"/> reaches a person, so a server's control characters in it are shown visibly.</param>
    public JsonLinesOutput(TextWriter output, TextWriter messages, bool messagesShowControls)
    {
        _output = output;
        _messages = messages;
        _messagesShowControls = messagesShowControls;
    }

    public void Start()
    {
    }

    public void Report(StreamStats value)
    {
    }

    public void Write(Chunk chunk)
    {
        _chunks++;
        WriteLine(JsonSerializer.Serialize(chunk, Json.Chunk));
    }

    public ValueTask RetryingAsync(RetryNotification retry)
    {
        _messages.WriteLine($"{ScgCommand.Name}: {LiveStatus.DescribeFailure(retry.Reason)}, retrying in {LiveStatus.Time(retry.Delay)} (attempt {retry.Attempt + 1})");
        return ValueTask.CompletedTask;
    }

    public void Completed(CodeGenerationResult result, IReadOnlyList<SavedFile> saved)
    {
        WriteLine(Object(writer =>
        {
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, Json.CodeGenerationResult);
            writer.WriteNumber("chunkCount", _chunks);
            writer.WriteStartArray("saved");
            foreach (SavedFile file in saved)
            {
                writer.WriteStringValue(file.FullPath);
            }

            writer.WriteEndArray();
        }));
    }

    public void Failed(CommandLineError error, string partialText, StreamStats stats)
    {
        WriteLine(Object(writer =>
        {
            writer.WriteStartObject("error");
            writer.WriteNumber("exitCode", error.ExitCode);
            writer.WriteString("message", error.Message);
            writer.WriteString("partialText", partialText);
            writer.WritePropertyName("stats");
            JsonSerializer.Serialize(writer, stats, Json.StreamStats);
            writer.WriteEndObject();
        }));
        _messages.WriteLine($"{ScgCommand.Name}: {(_messagesShowControls ? TerminalText.MakeVisible(error.Message) : error.Message)}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Object(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Options.Encoder }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteLine(string json)
    {
        _output.Write(EscapeActiveCharacters(json));
        _output.Write('\n');
        _output.Flush();
    }

    /// <summary>
    /// Escapes what the relaxed encoder leaves as it is but a terminal would act on (the bidirectional controls). JSON's
    /// own syntax is ASCII, so such a character can only be inside a string, where <c>\uXXXX</c> is its exact escape.
    /// </summary>
    internal static string EscapeActiveCharacters(string json)
    {
        StringBuilder? escaped = null;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (TerminalText.IsActive(c))
            {
                escaped ??= new StringBuilder(json.Length + 16).Append(json, 0, i);
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped?.Append(c);
            }
        }

        return escaped?.ToString() ?? json;
    }
}
