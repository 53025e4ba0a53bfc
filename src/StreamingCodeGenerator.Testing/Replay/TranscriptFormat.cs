using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace StreamingCodeGeneration.Testing;

/// <summary>Reads and writes <see cref="SseTranscript"/>'s JSON Lines format (documented on that type).</summary>
internal static class TranscriptFormat
{
    // Non-ASCII text stays readable in the file; JSON still escapes quotes, backslashes and control characters.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Write(SseTranscript transcript)
    {
        var output = new StringBuilder();
        var buffer = new MemoryStream();
        void Line(Action<Utf8JsonWriter> write)
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }

            output.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).Append('\n');
        }

        Line(writer =>
        {
            writer.WriteString("format", SseTranscript.FormatName);
            if (transcript.Request is not null)
            {
                writer.WriteString("request", transcript.Request);
            }

            writer.WriteNumber("status", transcript.StatusCode);
            if (transcript.ContentType is not null)
            {
                writer.WriteString("contentType", transcript.ContentType);
            }

            if (transcript.Headers.Count > 0)
            {
                writer.WriteStartObject("headers");
                foreach (KeyValuePair<string, string> header in transcript.Headers)
                {
                    writer.WriteString(header.Key, header.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteNumber("delayMs", Milliseconds(transcript.HeadersDelay));
        });

        foreach (TranscriptChunk chunk in transcript.Chunks)
        {
            Line(writer =>
            {
                writer.WriteNumber("delayMs", Milliseconds(chunk.Delay));
                if (Utf8.IsValid(chunk.Data.Span))
                {
                    writer.WriteString("data", chunk.Text);
                }
                else
                {
                    writer.WriteBase64String("base64", chunk.Data.Span);
                }
            });
        }

        Line(writer =>
        {
            writer.WriteNumber("delayMs", Milliseconds(transcript.EndDelay));
            writer.WriteString("end", transcript.Ending == TranscriptEnding.Cut ? "cut" : "complete");
        });

        return output.ToString();
    }

    public static SseTranscript Read(string text)
    {
        string[] lines = text.Split('\n');
        int status = 200;
        string? contentType = null, request = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        TimeSpan headersDelay = TimeSpan.Zero, endDelay = TimeSpan.Zero;
        TranscriptEnding ending = TranscriptEnding.Complete;
        var chunks = new List<TranscriptChunk>();
        bool sawHeader = false, sawEnd = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int number = i + 1;
            if (sawEnd)
            {
                throw new FormatException($"Line {number} of the transcript follows its end line.");
            }

            using JsonDocument document = ParseLine(line, number);
            JsonElement root = document.RootElement;
            TimeSpan delay = ReadDelay(root, number);
            if (!sawHeader)
            {
                if (!root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String)
                {
                    throw new FormatException($"Line {number} of the transcript must be its header, with \"format\":\"{SseTranscript.FormatName}\".");
                }

                if (!string.Equals(format.GetString(), SseTranscript.FormatName, StringComparison.Ordinal))
                {
                    throw new FormatException($"Line {number}: format \"{format.GetString()}\" is not supported; this version reads \"{SseTranscript.FormatName}\".");
                }

                status = root.TryGetProperty("status", out JsonElement statusElement) && statusElement.TryGetInt32(out int value) ? value : 200;
                if (status is < 100 or > 599)
                {
                    throw new FormatException($"Line {number}: status {status} is not an HTTP status.");
                }

                contentType = ReadString(root, "contentType", number);
                request = ReadString(root, "request", number);
                if (root.TryGetProperty("headers", out JsonElement headersElement))
                {
                    if (headersElement.ValueKind != JsonValueKind.Object)
                    {
                        throw new FormatException($"Line {number}: \"headers\" must be an object of strings.");
                    }

                    foreach (JsonProperty header in headersElement.EnumerateObject())
                    {
                        headers[header.Name] = header.Value.ValueKind == JsonValueKind.String
                            ? header.Value.GetString()!
                            : throw new FormatException($"Line {number}: header \"{header.Name}\" must be a string.");
                    }
                }

                headersDelay = delay;
                sawHeader = true;
            }
            else if (root.TryGetProperty("end", out JsonElement end))
            {
                ending = end.ValueKind == JsonValueKind.String ? end.GetString() switch
                {
                    "complete" => TranscriptEnding.Complete,
                    "cut" => TranscriptEnding.Cut,
                    _ => throw new FormatException($"Line {number}: \"end\" must be \"complete\" or \"cut\", not \"{end.GetString()}\"."),
                }
                : throw new FormatException($"Line {number}: \"end\" must be \"complete\" or \"cut\".");
                endDelay = delay;
                sawEnd = true;
            }
            else if (root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.String)
            {
                chunks.Add(new TranscriptChunk(delay, data.GetString()!));
            }
            else if (root.TryGetProperty("base64", out JsonElement base64) && base64.ValueKind == JsonValueKind.String && base64.TryGetBytesFromBase64(out byte[]? bytes))
            {
                chunks.Add(new TranscriptChunk(delay, bytes));
            }
            else
            {
                throw new FormatException($"Line {number} of the transcript has neither a \"data\" string, a valid \"base64\" string nor an \"end\".");
            }
        }

        if (!sawHeader)
        {
            throw new FormatException("The transcript is empty: it needs at least its header line.");
        }

        return new SseTranscript
        {
            StatusCode = status,
            ContentType = contentType,
            Headers = headers,
            HeadersDelay = headersDelay,
            Chunks = chunks,
            Ending = ending,
            EndDelay = endDelay,
            Request = request,
        };
    }

    private static double Milliseconds(TimeSpan delay) => Math.Round(delay.TotalMilliseconds, 3);

    private static JsonDocument ParseLine(string line, int number)
    {
        try
        {
            JsonDocument document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new FormatException($"Line {number} of the transcript is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Line {number} of the transcript is not JSON: {ex.Message}", ex);
        }
    }

    private static TimeSpan ReadDelay(JsonElement root, int number)
    {
        if (!root.TryGetProperty("delayMs", out JsonElement element))
        {
            return TimeSpan.Zero;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out double milliseconds) || milliseconds < 0 || double.IsInfinity(milliseconds))
        {
            throw new FormatException($"Line {number}: \"delayMs\" must be a non-negative number, not {element.GetRawText()}.");
        }

        return TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero));
    }

    private static string? ReadString(JsonElement root, string name, int number)
    {
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Line {number}: \"{name}\" must be a string."));
    }
}
