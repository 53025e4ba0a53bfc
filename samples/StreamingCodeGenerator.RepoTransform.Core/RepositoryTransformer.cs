using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The repository-transform agent: a prompt and a repository in, a reviewed unified diff out. It opens the repository
/// (a local folder, or a shallow clone of an https, ssh or file URL, as <see cref="RepositoryTransformerOptions.RepositoryAccess"/>
/// allows: https to public hosts only by default), reads the files most relevant by path within the read limits, shows
/// the model the most relevant ones that fit the token budget, streams the model's answer while parsing each file as it is written,
/// runs the host's checks (<see cref="RepositoryTransformerOptions.Checks"/>) on each diff in a temporary worktree and sends a
/// failure's output back for a revision, asks for a review (<c>[CONFIDENT]</c> or <c>[REVISION NEEDED]</c> with revised
/// files) up to N times, writes a diff that <c>git apply</c> accepts on the original tree, optionally applies it (only a
/// success), and stores the run in the history.
/// Thread-safe: one instance serves any number of concurrent runs.
/// </summary>
/// <example>
/// <code>
/// var transformer = new RepositoryTransformer(generator, history: RunHistory.Open(null));
/// TransformResult result = await transformer.RunAsync(new TransformRequest("https://github.com/o/r", "Add type hints"));
/// File.WriteAllText("change.diff", result.Diff);
/// </code>
/// </example>
public sealed class RepositoryTransformer
{
    private readonly StreamingCodeGenerator _generator;
    private readonly RepositoryTransformerOptions _options;
    private readonly IRunHistory? _history;

    /// <summary>Creates a transformer.</summary>
    /// <param name="generator">The generator that talks to the model; its model, endpoint, retries and timeouts apply.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults. Read at each run.</param>
    /// <param name="history">Where to store each run; <see langword="null"/> to store nothing. The caller disposes it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="RepositoryTransformerOptions.RepositoryAccess"/> names an unknown scheme or a malformed host.</exception>
    public RepositoryTransformer(StreamingCodeGenerator generator, RepositoryTransformerOptions? options = null, IRunHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        options ??= new RepositoryTransformerOptions();
        options.Validate();
        _generator = generator;
        _options = options;
        _history = history;
    }

    /// <summary>
    /// Runs a transform. <paramref name="progress"/> receives every <see cref="TransformEvent"/> in order, synchronously on
    /// the run's own flow (a <see cref="Progress{T}"/> would post them to a synchronization context instead), the last
    /// being <see cref="RunCompleted"/>. Every run — succeeded, not a success (<see cref="TransformOutcome.ReviewUnrecognized"/>,
    /// <see cref="TransformOutcome.ChecksFailed"/>: returned, with their diff), rejected, failed or cancelled — is stored in the history,
    /// which is checked writable before anything is fetched or sent.
    /// </summary>
    /// <param name="request">The repository and the prompt.</param>
    /// <param name="progress">Receives the events; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run (the clone, the model's answer, the apply).</param>
    /// <returns>The result: the diff and its summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request's budget or rounds are out of range.</exception>
    /// <exception cref="RepositoryUrlException">The repository is not a URL or folder <see cref="RepositoryTransformerOptions.RepositoryAccess"/> allows.</exception>
    /// <exception cref="RepositoryFetchException">The repository could not be fetched (refused destination, network, authentication, timeout); one message for all.</exception>
    /// <exception cref="RepositoryLimitException">The repository has more files, its clone more bytes, or its files more bytes than a check worktree holds, than the options allow.</exception>
    /// <exception cref="RepositoryException">The folder does not exist, or cannot be applied to.</exception>
    /// <exception cref="UnsafePathException">The model named a path outside the repository; nothing was written.</exception>
    /// <exception cref="AnswerFormatException">The model's answer ended inside a file.</exception>
    /// <exception cref="HistoryException">The history cannot be opened or written; nothing was sent.</exception>
    /// <exception cref="TransformException">Even without file contents the prompt exceeds the budget, or a check's shell cannot be started.</exception>
    /// <exception cref="CodeGenerationException">The model's request failed (authentication, rate limit, timeout, connection…).</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public Task<TransformResult> RunAsync(TransformRequest request, IProgress<TransformEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxPromptTokens is { } budget)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget, nameof(request));
        }

        if (request.ReflectionRounds is { } rounds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(rounds, nameof(request));
        }

        return new TransformRun(_generator, _options, _history, request, progress).ExecuteAsync(cancellationToken);
    }

    /// <summary>
    /// Checks a repository the way <see cref="RunAsync"/> will read it (the same parser, the same
    /// <see cref="RepositoryTransformerOptions.RepositoryAccess"/>), without opening or fetching anything: for a host
    /// that refuses bad input before it starts a run (and stores nothing for it).
    /// </summary>
    /// <param name="repository">The repository as the caller named it.</param>
    /// <returns>The repository as the history will name it: without user name, password, query or fragment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is <see langword="null"/>.</exception>
    /// <exception cref="RepositoryUrlException">Not a URL or folder the access allows; the message says why without repeating the value.</exception>
    /// <exception cref="RepositoryException">A folder that does not exist, or a file.</exception>
    public string CheckRepository(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return RepositorySource.Parse(repository, _options.RepositoryAccess).Display;
    }

    /// <summary>
    /// Runs a transform as a stream of events, for hosts that forward them (a web endpoint sending server-sent events):
    /// the progress, then <see cref="RunCompleted"/> with the diff. A failure is thrown after the events before it.
    /// Stopping the enumeration early cancels the run.
    /// </summary>
    /// <param name="request">The repository and the prompt.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async IAsyncEnumerable<TransformEvent> StreamAsync(TransformRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var channel = Channel.CreateUnbounded<TransformEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<TransformResult> running = RunToChannelAsync(request, channel.Writer, stop.Token);
        try
        {
            await foreach (TransformEvent transformEvent in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return transformEvent;
            }

            // The channel is complete: rethrow the run's own exception, with its type, if it failed.
            await running.ConfigureAwait(false);
        }
        finally
        {
            if (!running.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await running.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The consumer stopped listening: how the run ended is in the history, not for this caller.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }

    private async Task<TransformResult> RunToChannelAsync(TransformRequest request, ChannelWriter<TransformEvent> writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            return await RunAsync(request, new ChannelProgress(writer), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private sealed class ChannelProgress(ChannelWriter<TransformEvent> writer) : IProgress<TransformEvent>
    {
        public void Report(TransformEvent value) => writer.TryWrite(value);
    }
}
