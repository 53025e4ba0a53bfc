using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Tokenization;

/// <summary>
/// One golden case from <c>Fixtures/tiktoken-cases.json</c>, written by <c>tools/tokenizer/generate-fixtures.mjs</c>
/// with the ids npm tiktoken produces.
/// </summary>
public sealed class TiktokenCase
{
    private static readonly Lazy<IReadOnlyList<TiktokenCase>> s_all = new(Load);

    private TiktokenCase(string name, string text, bool allowSpecialTokens, int[] o200k, int[] cl100k)
    {
        Name = name;
        Text = text;
        AllowSpecialTokens = allowSpecialTokens;
        O200kIds = o200k;
        Cl100kIds = cl100k;
    }

    public string Name { get; }

    public string Text { get; }

    public bool AllowSpecialTokens { get; }

    public int[] O200kIds { get; }

    public int[] Cl100kIds { get; }

    public static IReadOnlyList<TiktokenCase> All => s_all.Value;

    public static IEnumerable<TestCaseData> Ordinary()
    {
        foreach (TiktokenCase c in All)
        {
            if (!c.AllowSpecialTokens)
            {
                yield return new TestCaseData(c).SetArgDisplayNames(c.Name);
            }
        }
    }

    public static IEnumerable<TestCaseData> WithSpecialTokens()
    {
        foreach (TiktokenCase c in All)
        {
            if (c.AllowSpecialTokens)
            {
                yield return new TestCaseData(c).SetArgDisplayNames(c.Name);
            }
        }
    }

    public int[] Expected(TokenizerEncoding encoding) => encoding == TokenizerEncoding.O200kBase ? O200kIds : Cl100kIds;

    public override string ToString() => Name;

    private static IReadOnlyList<TiktokenCase> Load()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Tokenization", "Fixtures", "tiktoken-cases.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new List<TiktokenCase>();
        foreach (JsonElement element in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            string text = element.TryGetProperty("text", out JsonElement t)
                ? t.GetString()!
                : new string(element.GetProperty("utf16").EnumerateArray().Select(u => (char)u.GetInt32()).ToArray());
            bool allowSpecial = element.TryGetProperty("allowSpecialTokens", out JsonElement a) && a.GetBoolean();
            cases.Add(new TiktokenCase(
                element.GetProperty("name").GetString()!,
                text,
                allowSpecial,
                element.GetProperty("o200k_base").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                element.GetProperty("cl100k_base").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
        }

        return cases;
    }
}
