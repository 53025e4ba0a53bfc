using System.Text;

namespace StreamingCodeGeneration.Tests;

/// <summary>The realistic model answers in <c>CodeBlocks/Fixtures</c>.</summary>
internal static class CorpusFixtures
{
    public static readonly string[] Names =
    [
        "python-sort.md",
        "multi-language.md",
        "nested-fences.md",
        "fence-in-prose.md",
        "tildes.md",
        "unterminated.md",
        "crlf.md",
        "list-indented.md",
        "fence-at-start.md",
        "empty-blocks.md",
        "four-space-indent.md",
        "filenames.md",
        "closing-fence-rules.md",
        "no-code.md",
        "unterminated-fence-line.md",
        "diff-and-shell.md",
    ];

    /// <summary>The fixture's exact text (no newline conversion, no BOM handling surprises).</summary>
    public static string Load(string name)
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "CodeBlocks", "Fixtures", name);
        return Encoding.UTF8.GetString(File.ReadAllBytes(path));
    }
}
