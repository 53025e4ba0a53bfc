using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>Keeps every log line the service writes, at every level, with its category, event id, text and exception.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Every line as one string: category, event id, message and exception, for "appears nowhere" checks.</summary>
    public string AllText => string.Join('\n', _entries.Select(e => $"{e.Category}[{e.Id.Id}] {e.Message} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, EventId Id, string Message, string? Exception);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception?.ToString()));
    }
}
