namespace StreamingCodeGeneration.Benchmarks;

/// <summary>How a row of the comparison ended.</summary>
internal enum RowOutcome
{
    /// <summary>Both sides measured and every correctness check passed.</summary>
    Measured,

    /// <summary>One side could not run here (its notes say why); what ran passed its checks.</summary>
    Partial,

    /// <summary>The row could not run here (a tool is missing; its notes say which).</summary>
    Skipped,

    /// <summary>A correctness check failed (a text not exact, a token count that differs, a failed stream).</summary>
    Failed,
}
