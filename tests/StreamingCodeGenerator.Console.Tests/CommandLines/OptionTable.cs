using System.CommandLine;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary>What an option takes, which decides the bad values every test feeds it.</summary>
public enum OptionKind
{
    /// <summary>No value (<c>--json</c>); <c>--json=maybe</c> is refused.</summary>
    Switch,

    /// <summary>Free text (<c>--model</c>, <c>--system</c>); a missing value is refused.</summary>
    Text,

    /// <summary>Text the command cannot run without (<c>scg-transform --repo</c>, <c>--prompt</c>); empty is refused.</summary>
    RequiredText,

    /// <summary>A whole number (<c>--max-tokens</c>, <c>--reflect</c>).</summary>
    WholeNumber,

    /// <summary>Seconds, fractions allowed (<c>--timeout</c>).</summary>
    Seconds,

    /// <summary>A number from 0 to 2, fractions allowed (<c>--temperature</c>).</summary>
    Temperature,

    /// <summary>One of a few words (<c>--provider</c>, <c>--test</c>).</summary>
    Choice,

    /// <summary>An http or https URL (<c>--endpoint</c>, <c>--base-url</c>).</summary>
    Url,

    /// <summary>A folder to write into (<c>scg --save</c>).</summary>
    Folder,

    /// <summary>A file to write (<c>scg-transform --out</c>).</summary>
    File,
}

/// <summary>
/// Every option of every command-line sample and what it takes. The tests read the options from the programs' own
/// System.CommandLine commands and fail for an option missing here, so a new option cannot go untested.
/// </summary>
public static class OptionTable
{
    private static readonly Dictionary<string, OptionKind> Kinds = new(StringComparer.Ordinal)
    {
        ["scg --model"] = OptionKind.Text,
        ["scg --endpoint"] = OptionKind.Url,
        ["scg --provider"] = OptionKind.Choice,
        ["scg --timeout"] = OptionKind.Seconds,
        ["scg --max-tokens"] = OptionKind.WholeNumber,
        ["scg --temperature"] = OptionKind.Temperature,
        ["scg --language"] = OptionKind.Text,
        ["scg --system"] = OptionKind.Text,
        ["scg --save"] = OptionKind.Folder,
        ["scg --json"] = OptionKind.Switch,
        ["scg --quiet"] = OptionKind.Switch,
        ["scg --no-color"] = OptionKind.Switch,
        ["scg --demo"] = OptionKind.Switch,

        ["scg-transform --model"] = OptionKind.Text,
        ["scg-transform --endpoint"] = OptionKind.Url,
        ["scg-transform --provider"] = OptionKind.Choice,
        ["scg-transform --timeout"] = OptionKind.Seconds,
        ["scg-transform --max-tokens"] = OptionKind.WholeNumber,
        ["scg-transform --temperature"] = OptionKind.Temperature,
        ["scg-transform --repo"] = OptionKind.RequiredText,
        ["scg-transform --prompt"] = OptionKind.RequiredText,
        ["scg-transform --out"] = OptionKind.File,
        ["scg-transform --apply"] = OptionKind.Switch,
        ["scg-transform --reflect"] = OptionKind.WholeNumber,
        ["scg-transform --max-prompt-tokens"] = OptionKind.WholeNumber,
        ["scg-transform --check"] = OptionKind.Text,
        ["scg-transform --check-timeout"] = OptionKind.WholeNumber,
        ["scg-transform --max-revisions"] = OptionKind.WholeNumber,
        ["scg-transform --demo"] = OptionKind.Switch,
        ["scg-transform --history"] = OptionKind.Text,
        ["scg-transform --list"] = OptionKind.Switch,

        ["scg-api-client --base-url"] = OptionKind.Url,
        ["scg-api-client --test"] = OptionKind.Choice,
        ["scg-api-client --prompt"] = OptionKind.Text,
        ["scg-api-client --timeout"] = OptionKind.Seconds,
    };

    /// <summary>Gets the keys of the table (<c>program --option</c>), to find entries no program has any more.</summary>
    public static IEnumerable<string> Keys => Kinds.Keys;

    public static string Key(CliProgram program, Option option) => program.Name + " " + option.Name;

    public static bool TryGetKind(CliProgram program, Option option, out OptionKind kind) => Kinds.TryGetValue(Key(program, option), out kind);

    /// <summary>
    /// The values each kind must refuse with exit code 2 and one line naming the option, run as processes: for numbers a
    /// non-number, a negative, a huge and a fractional value (a fraction below the minimum or above the maximum where
    /// fractions are allowed).
    /// </summary>
    public static IReadOnlyList<string> RefusedValues(OptionKind kind) => kind switch
    {
        OptionKind.WholeNumber => ["abc", "-1", "99999999999999999999", "1.5"],
        OptionKind.Seconds => ["abc", "-1", "99999999999999999999", "0.0001"],
        OptionKind.Temperature => ["abc", "-1", "99999999999999999999", "2.5"],
        OptionKind.Choice => ["sometimes"],
        OptionKind.Url => ["ftp://example.com/v1"],
        OptionKind.RequiredText or OptionKind.Folder or OptionKind.File => [""],
        _ => [],
    };

    /// <summary>
    /// More spellings every numeric option must refuse, checked by parsing the command in the test (the same parser the
    /// process runs): not-a-number and infinities, overflow, signs, exponents, other cultures' decimal commas and digits,
    /// white space, the empty string.
    /// </summary>
    public static IReadOnlyList<string> OddNumbers { get; } =
    [
        "NaN", "Infinity", "-Infinity", "∞", "1e309", "1e3", "-0", "+5", "", " ", " 5", "5 ", "0,5", "1,000", "1_000", "0x10",
        "١٢", "１２", ".", "5..0", "99999999999999999999999999999999999999", "-99999999999999999999", "0.7x", "12abc",
    ];

    /// <summary>A value each numeric kind accepts that has a fraction (seconds and temperatures take them).</summary>
    public static string? AcceptedFraction(OptionKind kind) => kind switch
    {
        OptionKind.Seconds => "0.5",
        OptionKind.Temperature => "0.7",
        _ => null,
    };

    public static bool IsNumeric(OptionKind kind) => kind is OptionKind.WholeNumber or OptionKind.Seconds or OptionKind.Temperature;

    public static bool TakesValue(Option option) => option.ValueType != typeof(bool);
}
