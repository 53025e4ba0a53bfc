using System.Text;

namespace StreamingCodeGeneration.Testing.Tests.Infrastructure;

/// <summary>An HTTP/1.1 response read off the socket, with the chunked framing kept so tests see every write.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<byte[]> Chunks, bool Complete)
{
    public byte[] Body => Chunks.SelectMany(c => c).ToArray();

    public string Text => Encoding.UTF8.GetString(Body);

    public IReadOnlyList<string> ChunkTexts => Chunks.Select(c => Encoding.UTF8.GetString(c)).ToArray();

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
