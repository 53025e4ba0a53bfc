namespace StreamingCodeGeneration;

/// <summary>What a successful response's body holds, judged by its <c>Content-Type</c>.</summary>
internal enum ResponseContentKind
{
    /// <summary><c>text/event-stream</c>, or no content type at all (some local servers send none).</summary>
    EventStream,

    /// <summary><c>application/json</c> (or <c>+json</c>): a complete, non-streamed <c>chat.completion</c>.</summary>
    Json,

    /// <summary>Anything else: HTML from a captive portal or a misrouted proxy, plain text…</summary>
    Other,
}

/// <summary>Classifies successful response bodies before they are parsed.</summary>
internal static class ResponseContent
{
    public static ResponseContentKind Classify(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return ResponseContentKind.EventStream;
        }

        ReadOnlySpan<char> media = contentType.AsSpan();
        int semicolon = media.IndexOf(';');
        media = (semicolon < 0 ? media : media[..semicolon]).Trim();
        if (media.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return ResponseContentKind.EventStream;
        }

        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return ResponseContentKind.Json;
        }

        return ResponseContentKind.Other;
    }

    /// <summary>
    /// Whether the first bytes of a body read as server-sent events whatever the content type claims: after an optional
    /// byte order mark and blank lines, a <c>data</c>, <c>event</c>, <c>id</c> or <c>retry</c> field or a comment.
    /// </summary>
    public static bool LooksLikeEventStream(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        head = head.TrimStart("\r\n"u8);
        return head.StartsWith("data:"u8) || head.StartsWith("event:"u8) || head.StartsWith("id:"u8)
            || head.StartsWith("retry:"u8) || head.StartsWith(":"u8);
    }
}
