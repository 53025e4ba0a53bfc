namespace StreamingCodeGeneration.Benchmarks;

/// <summary>An aim from the issue ("≥ 2.0×", "under 1 ms median") and whether this run met it.</summary>
internal sealed record Aim(string Text, bool Met);
