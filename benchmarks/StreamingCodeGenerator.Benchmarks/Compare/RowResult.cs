namespace StreamingCodeGeneration.Benchmarks;

/// <summary>One numbered row of the comparison: its lines, its outcome, its notes and the raw details for the JSON.</summary>
internal sealed class RowResult(int number, string title)
{
    /// <summary>How a note about a failed check starts.</summary>
    public const string CheckFailed = "CHECK FAILED: ";

    public int Number { get; } = number;

    public string Title { get; } = title;

    public RowOutcome Outcome { get; set; } = RowOutcome.Measured;

    public List<ComparisonLine> Lines { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Everything measured, unrounded, for the JSON (sizes, percentiles, versions).</summary>
    public Dictionary<string, object?> Details { get; } = [];

    /// <summary>Marks the row failed with a note saying which check failed.</summary>
    public RowResult Fail(string why)
    {
        Outcome = RowOutcome.Failed;
        Notes.Add(CheckFailed + why);
        return this;
    }

    /// <summary>Marks the row skipped with a note saying why.</summary>
    public RowResult Skip(string why)
    {
        Outcome = RowOutcome.Skipped;
        Notes.Add(why);
        return this;
    }
}
