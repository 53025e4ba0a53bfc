using System.Buffers;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// <c>--json</c>: one JSON object per line for scripts and editors. Each chunk as the library's JSON for
/// <see cref="Chunk"/> (<see cref="StreamingCodeGeneratorJsonContext"/>), then one final object: <c>{"result":…}</c>
/// holding the <see cref="CodeGenerationResult"/> (with <c>chunkCount</c> and the <c>saved</c> files), or
/// <c>{"error":{"exitCode":…,"message":…,"partialText":…,"stats":…}}</c>. The texts of the chunk lines concatenate to
/// exactly the answer.
/// </summary>
internal sealed class JsonLinesOutput : IAnswerOutput
{
    private static readonly StreamingCodeGeneratorJsonContext Json = StreamingCodeGeneratorJsonContext.Default;

    private readonly TextWriter _output;
    private readonly TextWriter _messages;
    private readonly bool _messagesShowControls;
    private int _chunks;

    /// <param name="output">Where the JSON lines go (JSON escapes every control character, so they are safe on a terminal too).</param>
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
        _output.Write(json);
        _output.Write('\n');
        _output.Flush();
    }
}
