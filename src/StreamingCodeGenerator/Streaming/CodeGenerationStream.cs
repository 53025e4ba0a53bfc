namespace StreamingCodeGeneration;

/// <summary>
/// A generation in progress: enumerate it with <c>await foreach</c> to receive the answer chunk by chunk, and read
/// <see cref="Stats"/> at any time. Nothing is sent until enumeration starts; a stream can be enumerated once.
/// </summary>
public sealed class CodeGenerationStream : IAsyncEnumerable<Chunk>
{
    private readonly GeneratorCore _core;
    private readonly PreparedRequest _request;
    private readonly AnswerText _answer = new();
    private readonly GenerationSink _sink;
    private readonly CancellationToken _cancellationToken;
    private Generation? _generation;

    internal CodeGenerationStream(GeneratorCore core, PreparedRequest request, CancellationToken cancellationToken, IProgress<StreamStats>? progress = null)
    {
        _core = core;
        _request = request;
        _sink = core.CreateSink(request, _answer, progress);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Gets a consistent snapshot of the progress: live while streaming, final afterwards. Safe from any thread.</summary>
    public StreamStats Stats => _sink.Snapshot();

    /// <summary>
    /// Gets the token count of the text delivered so far, the same figure as <see cref="StreamStats.TokenCount"/> (whose
    /// <see cref="StreamStats.TokenCountKind"/> says whether it is exact or an estimate) but read without taking a
    /// snapshot, so a host can report it with every chunk at no cost. Safe from any thread.
    /// </summary>
    public int TokenCount => _sink.TokenCount;

    /// <summary>
    /// Gets the finished result (text, explanation, code blocks, final stats) once the stream has completed, for
    /// callers who enumerate with <c>await foreach</c> and then want the code blocks too.
    /// </summary>
    /// <value><see langword="null"/> until the answer is complete, and when the generation failed or was cancelled.</value>
    public CodeGenerationResult? Result => Volatile.Read(ref _generation)?.Result;

    /// <summary>Starts the generation and returns its enumerator.</summary>
    /// <param name="cancellationToken">Cancels the generation (together with the token given to <c>GenerateAsync</c>).</param>
    /// <returns>The enumerator; dispose it (as <c>await foreach</c> does) to close the connection.</returns>
    /// <exception cref="InvalidOperationException">The stream was already enumerated.</exception>
    public IAsyncEnumerator<Chunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _generation) is not null)
        {
            throw AlreadyEnumerated();
        }

        var generation = new Generation(_core, _request, _sink, _answer, _cancellationToken, cancellationToken);
        if (Interlocked.CompareExchange(ref _generation, generation, null) is not null)
        {
            throw AlreadyEnumerated();
        }

        return generation;
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
        var generation = (Generation)GetAsyncEnumerator(cancellationToken);
        StreamProcessingException? callbackFailure = null;
        await using (generation.ConfigureAwait(false))
        {
            while (await generation.MoveNextAsync().ConfigureAwait(false))
            {
                if (onChunk is null)
                {
                    continue;
                }

                try
                {
                    onChunk(generation.Current);
                }
                catch (Exception ex)
                {
                    callbackFailure = generation.Abort(ex);
                    break;
                }
            }

            if (callbackFailure is null)
            {
                return generation.Result!;
            }
        }

        // Disposing stopped the stream and closed the connection; the failure now carries what was delivered.
        throw callbackFailure;
    }

    private static InvalidOperationException AlreadyEnumerated() =>
        new("A CodeGenerationStream can be enumerated only once. Call GenerateAsync again to start a new generation.");
}
