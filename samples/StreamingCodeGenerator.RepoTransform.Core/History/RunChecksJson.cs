using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The <c>checks</c> column: <c>[{"round":1,"command":"python3 -m py_compile app.py","exit_code":1,"duration_ms":52,"timed_out":false}, …]</c>.</summary>
internal static class RunChecksJson
{
    public static string Write(IReadOnlyList<CheckRun> checks)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (CheckRun check in checks)
            {
                writer.WriteStartObject();
                writer.WriteNumber("round", check.Round);
                writer.WriteString("command", check.Command);
                if (check.ExitCode is { } exitCode)
                {
                    writer.WriteNumber("exit_code", exitCode);
                }
                else
                {
                    writer.WriteNull("exit_code");
                }

                writer.WriteNumber("duration_ms", (long)check.Duration.TotalMilliseconds);
                writer.WriteBoolean("timed_out", check.TimedOut);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<CheckRun> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        var checks = new List<CheckRun>();
        foreach (JsonElement element in document.RootElement.EnumerateArray())
        {
            JsonElement exitCode = element.GetProperty("exit_code");
            checks.Add(new CheckRun(
                element.GetProperty("round").GetInt32(),
                element.GetProperty("command").GetString() ?? string.Empty,
                exitCode.ValueKind == JsonValueKind.Null ? null : exitCode.GetInt32(),
                TimeSpan.FromMilliseconds(element.GetProperty("duration_ms").GetInt64()),
                element.GetProperty("timed_out").GetBoolean()));
        }

        return checks;
    }
}
