namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>A finished generation's numbers, in the <c>x_scg</c> extension of the last chunk and of a <c>chat.completion</c>.</summary>
internal sealed record GenerationStats(
    int Tokens,
    int Characters,
    double TokensPerSecond,
    double? TimeToFirstChunkMs,
    double ElapsedMs,
    int Attempts,
    string? FinishReason)
{
    public static GenerationStats From(StreamStats stats) => new(
        stats.TokenCount,
        stats.CharacterCount,
        Math.Round(stats.TokensPerSecond, 1),
        stats.TimeToFirstChunk is { } first ? Math.Round(first.TotalMilliseconds, 1) : null,
        Math.Round(stats.Elapsed.TotalMilliseconds, 1),
        stats.Attempts,
        FinishReasons.ToOpenAI(stats));
}
