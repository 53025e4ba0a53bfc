namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// One line of the comparison table: one measure, ours against a peer measured in the same run on the same input.
/// </summary>
/// <param name="Measure">What is measured, with its unit and how (median of what).</param>
/// <param name="Ours">Our figure.</param>
/// <param name="Peer">The peer's figure; <see cref="Figure.Name"/> names the peer.</param>
/// <param name="Comparison">Ours against the peer in words: "2.05× faster", "+0.21 ms", "0.15× the bytes".</param>
/// <param name="ComparisonValue">The number behind <paramref name="Comparison"/>, for the JSON.</param>
/// <param name="Aim">The aim for this measure, and whether this run met it.</param>
internal sealed record ComparisonLine(string Measure, Figure Ours, Figure Peer, string Comparison, double? ComparisonValue, Aim? Aim = null);
