using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>
/// A scripted source for the stages above the source seam: each call of <see cref="StreamAsync"/> is one attempt and
/// plays the next <see cref="FakeAttempt"/> (yield updates, wait on a gate, hang, throw). Waits honour cancellation,
/// and like every source it knows nothing of the generation beyond the attempt it is given.
/// </summary>
internal sealed class FakeChatSource : IChatUpdateSource
{
    private readonly FakeAttempt[] _scripts;
    private readonly List<ChatAttempt> _attempts = [];
    private readonly TimeProvider? _clock;
    private int _finished;

    public FakeChatSource(params FakeAttempt[] scripts)
        : this(null, scripts)
    {
    }

    /// <param name="clock">Stamps <see cref="CancelledAt"/> when a wait is cancelled.</param>
    /// <param name="scripts">One script per attempt, in order.</param>
    public FakeChatSource(TimeProvider? clock, params FakeAttempt[] scripts)
    {
        _clock = clock;
        _scripts = scripts;
    }

    public string ProviderName => "fake";

    public Uri? ServerAddress => null;

    /// <summary>The attempts started so far, in order.</summary>
    public IReadOnlyList<ChatAttempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.ToArray();
            }
        }
    }

    /// <summary>How many attempts ran to their end or were disposed (their <c>finally</c> ran).</summary>
    public int FinishedAttempts => Volatile.Read(ref _finished);

    /// <summary>The fake time at which a wait was last cancelled.</summary>
    public DateTimeOffset? CancelledAt { get; private set; }

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FakeAttempt script;
        lock (_attempts)
        {
            _attempts.Add(attempt);
            if (_attempts.Count > _scripts.Length)
            {
                throw new InvalidOperationException($"The test scripted {_scripts.Length} attempt(s); attempt {_attempts.Count} was started.");
            }

            script = _scripts[_attempts.Count - 1];
        }

        try
        {
            foreach (FakeAttempt.Step step in script.Steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (step.Kind)
                {
                    case FakeAttempt.StepKind.Yield:
                        yield return step.Update;
                        break;
                    case FakeAttempt.StepKind.Wait:
                        try
                        {
                            await step.Gate!.WaitAsync(cancellationToken);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            CancelledAt = _clock?.GetUtcNow();
                            if (step.OnCancel is not null)
                            {
                                throw step.OnCancel();
                            }

                            throw;
                        }

                        break;
                    case FakeAttempt.StepKind.FailAfter:
                        await step.Gate!;
                        throw step.Failure!();
                    case FakeAttempt.StepKind.Throw:
                        throw step.Failure!();
                }
            }
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }
}

/// <summary>The script of one attempt of a <see cref="FakeChatSource"/>.</summary>
internal sealed class FakeAttempt
{
    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly List<Step> _steps = [];

    public enum StepKind
    {
        Yield,
        Wait,
        FailAfter,
        Throw,
    }

    public IReadOnlyList<Step> Steps => _steps;

    /// <summary>Yields an update.</summary>
    public FakeAttempt Update(ChatUpdate update)
    {
        _steps.Add(new Step(StepKind.Yield, update, null, null, null));
        return this;
    }

    public FakeAttempt Text(string text) => Update(new ChatUpdate { Text = text });

    public FakeAttempt Reasoning(string text) => Update(new ChatUpdate { Reasoning = text });

    /// <summary>A role chunk: metadata, no content.</summary>
    public FakeAttempt Role() => Update(new ChatUpdate { ResponseId = "chatcmpl-fake", ModelId = "fake-model" });

    public FakeAttempt Usage(int input, int output) => Update(new ChatUpdate { Usage = new TokenUsage(input, output, input + output) });

    public FakeAttempt Finish(string reason = "stop") => Update(new ChatUpdate { FinishReason = reason });

    /// <summary>Waits until <paramref name="gate"/> completes (or the attempt is cancelled).</summary>
    public FakeAttempt WaitFor(Task gate)
    {
        _steps.Add(new Step(StepKind.Wait, default, gate, null, null));
        return this;
    }

    /// <summary>
    /// Waits until <paramref name="gate"/> completes, deaf to cancellation, then fails: a transport that notices a torn
    /// connection late and reports it its own way.
    /// </summary>
    public FakeAttempt FailAfter(Task gate, Func<Exception> failure)
    {
        _steps.Add(new Step(StepKind.FailAfter, default, gate, failure, null));
        return this;
    }

    /// <summary>Waits until the attempt is cancelled; then throws <paramref name="onCancel"/>'s exception, or the cancellation.</summary>
    public FakeAttempt Hang(Func<Exception>? onCancel = null)
    {
        _steps.Add(new Step(StepKind.Wait, default, Never, null, onCancel));
        return this;
    }

    /// <summary>Fails the attempt (a new exception each time the step runs).</summary>
    public FakeAttempt Throw(Func<Exception> failure)
    {
        _steps.Add(new Step(StepKind.Throw, default, null, failure, null));
        return this;
    }

    /// <summary>The connection was lost.</summary>
    public FakeAttempt Cut() =>
        Throw(() => new StreamInterruptedException("The connection was lost.", StreamInterruptionReason.ConnectionLost, null, null));

    public sealed record Step(StepKind Kind, ChatUpdate Update, Task? Gate, Func<Exception>? Failure, Func<Exception>? OnCancel);
}
