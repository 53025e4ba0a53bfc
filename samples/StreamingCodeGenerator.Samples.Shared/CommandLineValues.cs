using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// Parsers for the command-line samples' numeric options (<c>CustomParser</c>s), so a value that is not a number, is
/// out of range or is written oddly is one parse error naming the option and what it accepts (exit code 2), never an
/// exception. Numbers are read the same way on every machine: ASCII digits with an optional fraction after a point
/// (<c>30</c>, <c>0.5</c>); no sign, exponent, spaces, thousands separators or decimal comma, and no
/// <c>NaN</c>/<c>Infinity</c>.
/// </summary>
public static class CommandLineValues
{
    private const int LongestQuotedValue = 40;

    /// <summary>Parses a whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    /// <param name="result">The option's argument, as System.CommandLine gives it to a <c>CustomParser</c>.</param>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <returns>The value; <see langword="null"/> when the option has no value or the value was refused (the error is added to <paramref name="result"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static int? WholeNumber(ArgumentResult result, int minimum, int maximum)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{OptionName(result)} must be a whole number from {minimum} to {maximum}, not {Quote(text)}."));
        return null;
    }

    /// <summary>Parses a number from <paramref name="minimum"/> to <paramref name="maximum"/>, fractions allowed.</summary>
    /// <param name="result">The option's argument.</param>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <param name="example">An example for the message, such as <c>0.7</c>.</param>
    /// <returns>The value; <see langword="null"/> when the option has no value or the value was refused (the error is added to <paramref name="result"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> or <paramref name="example"/> is <see langword="null"/>.</exception>
    public static double? Number(ArgumentResult result, double minimum, double maximum, string example)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(example);
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (TryParseDecimal(text, out double value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} must be a number from {Format(minimum)} to {Format(maximum)}, such as {example}, not {Quote(text)}.");
        return null;
    }

    /// <summary>Parses a time in seconds from <paramref name="minimumSeconds"/> to <paramref name="maximumSeconds"/>, fractions allowed (<c>0.5</c>).</summary>
    /// <param name="result">The option's argument.</param>
    /// <param name="minimumSeconds">The shortest time accepted, in seconds; above zero.</param>
    /// <param name="maximumSeconds">The longest time accepted, in seconds.</param>
    /// <returns>The time; <see langword="null"/> when the option has no value or the value was refused (the error is added to <paramref name="result"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumSeconds"/> is not positive, or <paramref name="maximumSeconds"/> is below it or longer than a <see cref="TimeSpan"/> holds.</exception>
    public static TimeSpan? Seconds(ArgumentResult result, double minimumSeconds, double maximumSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumSeconds, minimumSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maximumSeconds, TimeSpan.MaxValue.TotalSeconds);
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (TryParseSeconds(text, minimumSeconds, maximumSeconds, out TimeSpan time))
        {
            return time;
        }

        result.AddError($"{OptionName(result)} must be a number of seconds from {Format(minimumSeconds)} to {Format(maximumSeconds)}, such as 30 or 0.5, not {Quote(text)}.");
        return null;
    }

    /// <summary>Reads a time in seconds as <see cref="Seconds"/> does (from an answer typed at a question, for example).</summary>
    /// <param name="text">The text.</param>
    /// <param name="minimumSeconds">The shortest time accepted, in seconds.</param>
    /// <param name="maximumSeconds">The longest time accepted, in seconds; at most what a <see cref="TimeSpan"/> holds.</param>
    /// <param name="time">The time, when the text is one.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a number of seconds in the range.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool TryParseSeconds(string text, double minimumSeconds, double maximumSeconds, out TimeSpan time)
    {
        ArgumentNullException.ThrowIfNull(text);
        time = default;
        if (!TryParseDecimal(text, out double seconds) || seconds < minimumSeconds || seconds > maximumSeconds || seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        time = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>
    /// Reads an option's value in a command's validator, where <see cref="SymbolResult.GetValue{T}(Option{T})"/> throws
    /// when the option itself did not parse (a missing or refused value, which is reported on its own).
    /// </summary>
    /// <typeparam name="T">The option's type.</typeparam>
    /// <param name="result">The command's result, as a validator gets it.</param>
    /// <param name="option">The option.</param>
    /// <param name="value">The value (its default when the option was not given); <see langword="default"/> when it did not parse.</param>
    /// <returns><see langword="false"/> when the option did not parse: its own error says why, so the validator need not add one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> or <paramref name="option"/> is <see langword="null"/>.</exception>
    public static bool TryGetValue<T>(CommandResult result, Option<T> option, out T? value)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(option);
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Quotes a command-line value for a one-line message: shortened when long, its control characters visible.</summary>
    /// <param name="value">The value as given.</param>
    /// <returns>The value in single quotes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = value.Length > LongestQuotedValue && char.IsHighSurrogate(value[LongestQuotedValue - 1]) ? LongestQuotedValue - 1 : LongestQuotedValue;
        string shown = value.Length > LongestQuotedValue ? value[..length] + "…" : value;
        return "'" + TerminalText.MakeVisible(shown).Replace("\n", "^J", StringComparison.Ordinal).Replace("\r", "^M", StringComparison.Ordinal) + "'";
    }

    /// <summary>Hides what could be a password in a URL-like value that did not parse (<c>scheme://user:password@host</c> becomes <c>scheme://…@host</c>), for messages.</summary>
    /// <param name="value">The value as given.</param>
    /// <returns>The value with everything between <c>://</c> (or its start) and its last <c>@</c> replaced by an ellipsis.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static string WithoutUserInfo(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = value.LastIndexOf('@');
        return at < start ? value : string.Concat(value.AsSpan(0, start), "…", value.AsSpan(at));
    }

    /// <summary>The option's name (<c>--timeout</c>), or the argument's.</summary>
    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    /// <summary>ASCII digits with at most one decimal point, read the same way in every culture; finite.</summary>
    private static bool TryParseDecimal(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
