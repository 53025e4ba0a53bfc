using System.Text.Json;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>Splits a text/event-stream body into its events' data (and names).</summary>
public static class EventStream
{
    public static IReadOnlyList<(string? Name, string Data)> Parse(string body)
    {
        var events = new List<(string?, string)>();
        foreach (string block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new List<string>();
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line[5..].TrimStart(' '));
                }
            }

            if (data.Count > 0)
            {
                events.Add((name, string.Join('\n', data)));
            }
        }

        return events;
    }

    /// <summary>The JSON of every data event except <c>[DONE]</c>.</summary>
    public static IReadOnlyList<JsonElement> Json(string body) =>
        [.. Parse(body).Where(e => e.Data != "[DONE]").Select(e => JsonDocument.Parse(e.Data).RootElement)];

    /// <summary>The concatenated <c>delta.content</c> of the chunks.</summary>
    public static string Text(string body) => string.Concat(Json(body)
        .Where(e => e.TryGetProperty("choices", out JsonElement choices) && choices.GetArrayLength() > 0)
        .Select(e => e.GetProperty("choices")[0].GetProperty("delta"))
        .Select(d => d.TryGetProperty("content", out JsonElement c) ? c.GetString() : null));
}
