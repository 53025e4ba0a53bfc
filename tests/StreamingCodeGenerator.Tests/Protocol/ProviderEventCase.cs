namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>One row of a provider parser's table: a name, the SSE event type (null for none), the data bytes, and what they parse to.</summary>
public sealed class ProviderEventCase
{
    public ProviderEventCase(string name, string? eventType, string data, string expected)
        : this(name, eventType, ProviderEventDescription.Utf8(data), expected)
    {
    }

    public ProviderEventCase(string name, string? eventType, byte[] data, string expected)
    {
        Name = name;
        EventType = eventType;
        Data = data;
        Expected = expected;
    }

    public string Name { get; }

    public string? EventType { get; }

    public byte[] Data { get; }

    public string Expected { get; }

    public override string ToString() => Name;
}
