using System.Collections.Concurrent;

namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>Records the events of a run in order; can open a gate when an event arrives.</summary>
public sealed class EventLog : IProgress<TransformEvent>
{
    private readonly ConcurrentQueue<TransformEvent> _events = new();
    private readonly List<(Func<TransformEvent, bool> When, TaskCompletionSource Gate)> _triggers = [];

    public IReadOnlyList<TransformEvent> Events => _events.ToArray();

    public IEnumerable<T> Of<T>() where T : TransformEvent => Events.OfType<T>();

    /// <summary>A task that completes when an event matching <paramref name="when"/> is reported.</summary>
    public Task When(Func<TransformEvent, bool> when)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_triggers)
        {
            _triggers.Add((when, gate));
        }

        return gate.Task;
    }

    public void Report(TransformEvent value)
    {
        _events.Enqueue(value);
        lock (_triggers)
        {
            foreach ((Func<TransformEvent, bool> when, TaskCompletionSource gate) in _triggers)
            {
                if (when(value))
                {
                    gate.TrySetResult();
                }
            }
        }
    }
}
