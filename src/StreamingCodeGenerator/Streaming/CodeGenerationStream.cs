namespace StreamingCodeGeneration;

/// <summary>
/// A generation in progress: enumerate it with <c>await foreach</c> to receive the answer chunk by chunk, and read
/// <see cref="Stats"/> at any time. Nothing is sent until enumeration starts; a stream can be enumerated once.
/// </summary>
public sealed class CodeGenerationStream : IAsyncEnumerable<Chunk>
{
    private readonly GeneratorCore _core;
    private readonly PreparedRequest _request;
    private readonly CancellationToken _cancellationToken;
    private readonly StreamStatsTracker _tracker;
    private GenerationRun? _run;

    internal CodeGenerationStream(GeneratorCore core, PreparedRequest request, CancellationToken cancellationToken)
    {
        _core = core;
        _request = request;
        _cancellationToken = cancellationToken;
        _tracker = new StreamStatsTracker(core.Options.TimeProvider);
    }

    /// <summary>Gets a consistent snapshot of the progress: live while streaming, final afterwards. Safe from any thread.</summary>
    public StreamStats Stats => _tracker.Snapshot();

    /// <summary>Starts the generation and returns its enumerator.</summary>
    /// <param name="cancellationToken">Cancels the generation (together with the token given to <c>GenerateAsync</c>).</param>
    /// <returns>The enumerator; dispose it (as <c>await foreach</c> does) to close the connection.</returns>
    /// <exception cref="InvalidOperationException">The stream was already enumerated.</exception>
    public IAsyncEnumerator<Chunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var run = new GenerationRun(_core, _request, _tracker, _cancellationToken, cancellationToken);
        if (Interlocked.CompareExchange(ref _run, run, null) is not null)
        {
            throw new InvalidOperationException(
                "A CodeGenerationStream can be enumerated only once. Call GenerateAsync again to start a new generation.");
        }

        return run;
    }

    /// <summary>
    /// Enumerates the whole stream and returns the result: the text, the explanation, the code blocks and the final stats.
    /// </summary>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The finished result.</returns>
    /// <exception cref="InvalidOperationException">The stream was already enumerated.</exception>
    /// <exception cref="CodeGenerationException">The generation failed; the exception carries the partial text and stats.</exception>
    /// <exception cref="OperationCanceledException">The generation was cancelled.</exception>
    public Task<CodeGenerationResult> ToResultAsync(CancellationToken cancellationToken = default) => ConsumeAsync(null, cancellationToken);

    internal async Task<CodeGenerationResult> ConsumeAsync(Action<Chunk>? onChunk, CancellationToken cancellationToken)
    {
        var run = (GenerationRun)GetAsyncEnumerator(cancellationToken);
        await using (run.ConfigureAwait(false))
        {
            while (await run.MoveNextAsync().ConfigureAwait(false))
            {
                if (onChunk is null)
                {
                    continue;
                }

                try
                {
                    onChunk(run.Current);
                }
                catch (Exception ex)
                {
                    throw await run.AbortForCallbackAsync(ex).ConfigureAwait(false);
                }
            }

            return run.BuildResult();
        }
    }
}
