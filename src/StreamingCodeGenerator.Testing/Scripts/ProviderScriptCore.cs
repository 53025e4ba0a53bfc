using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// What <see cref="AnthropicScript"/> and <see cref="ResponsesScript"/> share: the response's status and headers, and
/// the steps in order. Building replays the steps onto a fresh <see cref="SseScript"/> with a fresh
/// <typeparamref name="TState"/> (block indexes, sequence numbers, text so far), so every built script is a snapshot and
/// the event JSON is fixed at build time.
/// </summary>
/// <typeparam name="TState">What the steps of one build share.</typeparam>
internal sealed class ProviderScriptCore<TState>
{
    private readonly List<Action<SseScript, TState>> _steps = [];
    private readonly List<KeyValuePair<string, Func<RecordedRequest, string>>> _headers = [];
    private string? _ending;

    public int Status { get; set; } = StatusCodes.Status200OK;

    public string? ContentType { get; set; } = "text/event-stream";

    public void AddHeader(string name, Func<RecordedRequest, string> value) => _headers.Add(new(name, value));

    /// <summary>Adds a step that writes events (or sets pacing, waits…) on the script being built.</summary>
    /// <exception cref="InvalidOperationException">The script already ends (with Cut, Stall…).</exception>
    public void Add(Action<SseScript, TState> step)
    {
        if (_ending is not null)
        {
            throw new InvalidOperationException($"The script already ends with {_ending}(); add steps before it.");
        }

        _steps.Add(step);
    }

    /// <summary>Adds the step that ends the script; no step may follow.</summary>
    public void End(string name, Action<SseScript, TState> step)
    {
        Add(step);
        _ending = name;
    }

    public Func<HttpContext, Task> Build(TState state)
    {
        var script = new SseScript().WithStatus(Status).WithContentType(ContentType);
        foreach (KeyValuePair<string, Func<RecordedRequest, string>> header in _headers)
        {
            script.WithHeader(header.Key, header.Value);
        }

        foreach (Action<SseScript, TState> step in _steps)
        {
            step(script, state);
        }

        return script.Build();
    }
}
