using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// Describes a <see cref="ProviderStreamEvent"/> in one stable line, and runs one event (or a table of them) through
/// <see cref="SseParser"/> with a chosen line ending and read size, for the provider parsers' table tests.
/// </summary>
internal static class ProviderEventDescription
{
    public static readonly string[] LineEndings = ["\n", "\r\n", "\r"];

    /// <summary>Everything an event carries, in a fixed order; <c>(nothing)</c> for an empty event.</summary>
    public static string Describe(ProviderStreamEvent e)
    {
        var parts = new List<string>();
        Add(parts, e.IsDone, "done");
        Add(parts, e.IsKeepAlive, "keep-alive");
        if (e.Id is not null)
        {
            parts.Add("id=" + e.Id);
        }

        if (e.Model is not null)
        {
            parts.Add("model=" + e.Model);
        }

        if (e.Content is not null)
        {
            parts.Add("content=\"" + Escape(e.Content) + "\"" + (e.ContentIllFormed ? "(ill-formed)" : string.Empty));
        }

        if (e.Reasoning is not null)
        {
            parts.Add("reasoning=\"" + Escape(e.Reasoning) + "\"" + (e.ReasoningIllFormed ? "(ill-formed)" : string.Empty));
        }

        if (e.Refusal is not null)
        {
            parts.Add("refusal=\"" + Escape(e.Refusal) + "\"");
        }

        if (e.FinishReason is not null)
        {
            parts.Add("finish=" + e.FinishReason);
        }

        if (e.Usage is { } usage)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"usage={usage.InputTokenCount}/{usage.OutputTokenCount}/{usage.TotalTokenCount}")
                + (usage.CachedInputTokenCount is int cached ? " cached=" + cached.ToString(CultureInfo.InvariantCulture) : string.Empty)
                + (usage.ReasoningTokenCount is int reasoning ? " reasoning-tokens=" + reasoning.ToString(CultureInfo.InvariantCulture) : string.Empty));
        }

        if (e.Error is { } error)
        {
            parts.Add("error=" + string.Join('|', error.Message ?? "-", error.Type ?? "-", error.Code ?? "-", error.Param ?? "-"));
        }

        Add(parts, e.IsTerminal, "terminal");
        (parts.Count == 0).Should().Be(e.IsEmpty, "IsEmpty says whether the event carries anything");
        return parts.Count == 0 ? "(nothing)" : string.Join(' ', parts);
    }

    /// <summary>An SSE body: a comment, then each event (with its <c>event:</c> line when it has a type).</summary>
    public static byte[] Body(string newline, IEnumerable<(string? EventType, byte[] Data)> events)
    {
        var body = new List<byte>();
        body.AddRange(Encoding.UTF8.GetBytes(": keep-alive" + newline));
        foreach ((string? eventType, byte[] data) in events)
        {
            if (eventType is not null)
            {
                body.AddRange(Encoding.UTF8.GetBytes("event: " + eventType + newline));
            }

            body.AddRange(Encoding.UTF8.GetBytes("data: "));
            body.AddRange(data);
            body.AddRange(Encoding.UTF8.GetBytes(newline + newline));
        }

        return [.. body];
    }

    /// <summary>Parses a body with <see cref="SseParser"/> and <paramref name="parse"/>, describing each event.</summary>
    public static List<string> ParseAll(byte[] body, bool oneBytePerRead, SseItemParser<ProviderStreamEvent> parse)
    {
        using Stream stream = oneBytePerRead ? new OneByteStream(body) : new MemoryStream(body);
        var parsed = new List<string>();
        foreach (SseItem<ProviderStreamEvent> item in SseParser.Create(stream, parse).Enumerate())
        {
            parsed.Add(Describe(item.Data));
        }

        return parsed;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>ASCII printable characters as they are; everything else (and quotes, backslashes) as <c>\uXXXX</c>.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return sb.ToString();
    }

    private static void Add(List<string> parts, bool flag, string text)
    {
        if (flag)
        {
            parts.Add(text);
        }
    }
}
