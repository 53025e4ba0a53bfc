using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// One recorded stream under <c>tests/Recordings</c> (see SOURCES.md there): its bytes and what
/// <c>derive-expected.py</c> says a client must make of them.
/// </summary>
public sealed class ProviderRecording
{
    private ProviderRecording(string api, string name, byte[] body, ProviderOutcome expected)
    {
        Api = api;
        Name = name;
        Body = body;
        Expected = expected;
    }

    /// <summary>The folder: <c>openai-responses</c> or <c>anthropic-messages</c>.</summary>
    public string Api { get; }

    /// <summary>The file name without <c>.sse</c>.</summary>
    public string Name { get; }

    /// <summary>The response body, byte for byte.</summary>
    public byte[] Body { get; }

    /// <summary>The expected outcome.</summary>
    public ProviderOutcome Expected { get; }

    /// <summary>The folder holding the recordings.</summary>
    public static string Folder => Path.Combine(RepositoryLayout.Root, "tests", "Recordings");

    /// <summary>Every recording of one API, by name.</summary>
    public static IEnumerable<ProviderRecording> All(string api) =>
        Directory.EnumerateFiles(Path.Combine(Folder, api), "*.sse").Order(StringComparer.Ordinal).Select(path => Load(api, Path.GetFileNameWithoutExtension(path)));

    /// <summary>Loads one recording.</summary>
    public static ProviderRecording Load(string api, string name)
    {
        string path = Path.Combine(Folder, api, name);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(path + ".expected.json"));
        return new ProviderRecording(api, name, File.ReadAllBytes(path + ".sse"), ProviderOutcome.FromJson(expected.RootElement));
    }

    /// <summary>The body with every line ending replaced by <paramref name="newline"/> (event data never holds a raw line break).</summary>
    public byte[] WithLineEnding(string newline) =>
        System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Body).Replace("\n", newline, StringComparison.Ordinal));

    /// <inheritdoc />
    public override string ToString() => Api + "/" + Name;
}
