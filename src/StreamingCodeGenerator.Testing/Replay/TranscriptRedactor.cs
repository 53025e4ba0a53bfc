using System.Text;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Removes secrets (the API key a request carried) from what a recording keeps: header values and body bytes. A
/// secret split across two chunks is found too: the chunks it spans are merged first (delivered together, at the
/// later chunk's moment), then it is replaced.
/// </summary>
internal static class TranscriptRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Replacement = "[REDACTED]";

    /// <summary>Shorter values are not treated as secrets: replacing them would mangle ordinary text.</summary>
    private const int MinSecretLength = 8;

    private static readonly byte[] ReplacementBytes = Encoding.UTF8.GetBytes(Replacement);

    public static List<string> UsableSecrets(IEnumerable<string?> candidates)
    {
        var secrets = new List<string>();
        foreach (string? candidate in candidates)
        {
            string? trimmed = candidate?.Trim();
            if (trimmed is { Length: >= MinSecretLength } && !secrets.Contains(trimmed, StringComparer.Ordinal))
            {
                secrets.Add(trimmed);
            }
        }

        // Longest first, so "Bearer KEY" goes before "KEY".
        secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        return secrets;
    }

    public static string Redact(string value, IReadOnlyList<string> secrets)
    {
        foreach (string secret in secrets)
        {
            value = value.Replace(secret, Replacement, StringComparison.Ordinal);
        }

        return value;
    }

    public static List<TranscriptChunk> Redact(List<TranscriptChunk> chunks, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0 || chunks.Count == 0)
        {
            return chunks;
        }

        var list = new List<(TimeSpan Delay, byte[] Data)>(chunks.Count);
        foreach (TranscriptChunk chunk in chunks)
        {
            list.Add((chunk.Delay, chunk.Data.ToArray()));
        }

        foreach (string secret in secrets)
        {
            byte[] needle = Encoding.UTF8.GetBytes(secret);
            MergeWhereSpanned(list, needle);
            for (int i = 0; i < list.Count; i++)
            {
                list[i] = (list[i].Delay, Replace(list[i].Data, needle));
            }
        }

        var result = new List<TranscriptChunk>(list.Count);
        foreach ((TimeSpan delay, byte[] data) in list)
        {
            result.Add(new TranscriptChunk(delay, data));
        }

        return result;
    }

    private static void MergeWhereSpanned(List<(TimeSpan Delay, byte[] Data)> chunks, byte[] needle)
    {
        bool merged = true;
        while (merged)
        {
            merged = false;
            byte[] all = Concat(chunks, 0, chunks.Count);
            int at = 0;
            while ((at = IndexOf(all, needle, at)) >= 0)
            {
                (int first, int last) = (ChunkAt(chunks, at), ChunkAt(chunks, at + needle.Length - 1));
                if (first != last)
                {
                    TimeSpan delay = TimeSpan.Zero;
                    for (int i = first; i <= last; i++)
                    {
                        delay += chunks[i].Delay;
                    }

                    byte[] data = Concat(chunks, first, last - first + 1);
                    chunks.RemoveRange(first, last - first + 1);
                    chunks.Insert(first, (delay, data));
                    merged = true;
                    break;
                }

                at += needle.Length;
            }
        }
    }

    private static int ChunkAt(List<(TimeSpan Delay, byte[] Data)> chunks, int offset)
    {
        for (int i = 0; i < chunks.Count; i++)
        {
            if (offset < chunks[i].Data.Length)
            {
                return i;
            }

            offset -= chunks[i].Data.Length;
        }

        return chunks.Count - 1;
    }

    private static byte[] Concat(List<(TimeSpan Delay, byte[] Data)> chunks, int start, int count)
    {
        var all = new MemoryStream();
        for (int i = start; i < start + count; i++)
        {
            all.Write(chunks[i].Data);
        }

        return all.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start) =>
        start > haystack.Length ? -1 : haystack.AsSpan(start).IndexOf(needle) is int found and >= 0 ? start + found : -1;

    private static byte[] Replace(byte[] data, byte[] needle)
    {
        int at = IndexOf(data, needle, 0);
        if (at < 0)
        {
            return data;
        }

        var output = new MemoryStream(data.Length);
        int from = 0;
        while (at >= 0)
        {
            output.Write(data, from, at - from);
            output.Write(ReplacementBytes);
            from = at + needle.Length;
            at = IndexOf(data, needle, from);
        }

        output.Write(data, from, data.Length - from);
        return output.ToArray();
    }
}
