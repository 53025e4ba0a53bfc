using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>
/// Keeps every log line the service writes, at every level, with its category, event id, text, structured properties,
/// scopes and exception, for assertions such as "a credential appears nowhere".
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly List<(Func<Entry, bool> Match, TaskCompletionSource<Entry> Found)> _waiters = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Every line as one string: category, event id, message, properties, scopes and exception.</summary>
    public string AllText => string.Join('\n', _entries.Select(e => $"{e.Category}[{e.Id.Id}] {e.Message} [{e.Properties}] {e.Scopes} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Completes when a line that <paramref name="match"/> accepts has been written (or already was).</summary>
    public Task<Entry> WaitForAsync(Func<Entry, bool> match)
    {
        var found = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((match, found));
        }

        foreach (Entry entry in _entries)
        {
            if (match(entry))
            {
                found.TrySetResult(entry);
            }
        }

        return found.Task;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, EventId Id, string Message, string Properties, string Scopes, string? Exception);

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            provider._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? string.Empty), scopes);
            string properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            var entry = new Entry(category, logLevel, eventId, formatter(state, exception), properties, string.Join(" / ", scopes), exception?.ToString());
            provider._entries.Enqueue(entry);
            lock (provider._waiters)
            {
                foreach ((Func<Entry, bool> match, TaskCompletionSource<Entry> found) in provider._waiters)
                {
                    if (match(entry))
                    {
                        found.TrySetResult(entry);
                    }
                }
            }
        }
    }
}
