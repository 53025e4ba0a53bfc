using System.Globalization;
using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>
/// A consistent snapshot of a generation's progress. <see cref="CodeGenerationStream.Stats"/> returns a fresh
/// snapshot on every read, so it is safe to read from any thread while the stream runs.
/// </summary>
public sealed class StreamStats
{
    /// <summary>Gets an empty snapshot (nothing started).</summary>
    public static StreamStats Empty { get; } = new();

    /// <summary>Gets the lifecycle state.</summary>
    public StreamStatus Status { get; init; }

    /// <summary>
    /// Gets the number of events the server sent (each <c>data:</c> chunk of the stream), empty ones included, over all
    /// attempts: the progress measure of the streaming API. The caller receives <see cref="Chunk"/>s, which are cut
    /// differently (by code fences, granularity and merging).
    /// </summary>
    public int ServerEventCount { get; init; }

    /// <summary>Gets how many of <see cref="ServerEventCount"/> carried no answer text (role-only, usage-only, reasoning, filter results…).</summary>
    public int EmptyServerEventCount { get; init; }

    /// <summary>Gets the number of UTF-16 characters delivered to the caller.</summary>
    public int CharacterCount { get; init; }

    /// <summary>
    /// Gets the number of UTF-16 characters of reasoning the model streamed (<c>reasoning_content</c>, <c>reasoning</c>,
    /// <c>thinking</c> parts), over all attempts, whether or not <see cref="StreamingCodeGeneratorOptions.IncludeReasoning"/>
    /// delivered it. Models that reason silently report only <see cref="TokenUsage.ReasoningTokenCount"/>.
    /// </summary>
    public int ReasoningCharacterCount { get; init; }

    /// <summary>
    /// Gets the number of tokens in the text delivered so far, counted locally with the model's encoding (exact for
    /// OpenAI's models); <see cref="TokenCountKind"/> says whether it is exact, an estimate (a model whose tokenizer this
    /// library does not have, such as Claude), or the server's own count.
    /// </summary>
    public int TokenCount { get; init; }

    /// <summary>Gets what <see cref="TokenCount"/> is: exact, an estimate, or the server's count.</summary>
    /// <value>The default is <see cref="StreamingCodeGeneration.TokenCountKind.Exact"/>.</value>
    public TokenCountKind TokenCountKind { get; init; }

    /// <summary>Gets the number of requests sent (first attempt, retries and continuations).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the time from the start to the first piece of answer text, or <see langword="null"/> before it.</summary>
    public TimeSpan? TimeToFirstChunk { get; init; }

    /// <summary>Gets the time since the start (live while streaming, final afterwards).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets the output rate: <see cref="TokenCount"/> divided by the time since the first chunk.</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>Gets why the model stopped, or <see langword="null"/> while it has not.</summary>
    public FinishReason? FinishReason { get; init; }

    /// <summary>Gets the finish reason exactly as the server sent it.</summary>
    public string? RawFinishReason { get; init; }

    /// <summary>Gets the usage the server reported, or <see langword="null"/> when it sent none.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>
    /// Gets whether server-reported usage was requested. It is <see langword="false"/> when the server rejected
    /// <c>stream_options</c> and the request was repeated without it: <see cref="Usage"/> is then unavailable.
    /// </summary>
    public bool UsageRequested { get; init; } = true;

    /// <summary>Gets the model the server says answered (it may differ from the requested one, for example by a dated suffix).</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the server's id for the response.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Gets the refusal text the model sent instead of an answer, if any.</summary>
    public string? Refusal { get; init; }

    /// <summary>Gets whether a content filter annotated or withheld part of the prompt or the answer.</summary>
    public bool ContentFiltered { get; init; }

    /// <summary>Gets whether the answer is known to be cut short (finish reason length or content filter).</summary>
    [JsonIgnore]
    public bool IsTruncated => FinishReason is StreamingCodeGeneration.FinishReason.Length or StreamingCodeGeneration.FinishReason.ContentFilter;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Status}: {ServerEventCount} events ({EmptyServerEventCount} empty), {CharacterCount} chars, {TokenCount} tokens, {Attempts} attempt(s), first chunk {TimeToFirstChunk?.TotalMilliseconds:0.#} ms, {Elapsed.TotalMilliseconds:0.#} ms, {TokensPerSecond:0.#} tok/s, finish {RawFinishReason ?? "-"}");
}
