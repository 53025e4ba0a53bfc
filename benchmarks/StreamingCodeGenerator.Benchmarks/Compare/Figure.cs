namespace StreamingCodeGeneration.Benchmarks;

/// <summary>A measured figure: its text as printed, its value and unit for the JSON, and whose it is.</summary>
internal sealed record Figure(string Text, double? Value, string Unit, string? Name = null)
{
    /// <summary>A figure that was not measured (the side is absent); the text says why in a word.</summary>
    public static Figure Absent(string text, string? name = null) => new(text, null, string.Empty, name);
}
