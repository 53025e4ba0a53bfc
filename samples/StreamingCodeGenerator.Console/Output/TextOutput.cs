using System.Globalization;
using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// The answer as text on standard output: exactly the model's characters when redirected; on a terminal coloured, with
/// the control characters a terminal would act on shown visibly (<see cref="TerminalTextFilter"/>); the live status
/// line where a terminal can show it; the summary and any error on standard error.
/// </summary>
internal sealed class TextOutput : IAnswerOutput
{
    private readonly TextWriter _answer;
    private readonly TextWriter _messages;
    private readonly TextOutputSettings _settings;
    private readonly LiveStatus _live;
    private readonly StatusLineRenderer? _status;
    private readonly TerminalTextFilter? _visible;
    private readonly CancellationTokenSource _stopTicker = new();
    private Task _ticker = Task.CompletedTask;
    private int _chunks;
    private int _frame;
    private char _last = '\n';

    public TextOutput(TextWriter answer, TextWriter messages, TextOutputSettings settings, TimeProvider time)
    {
        _answer = answer;
        _messages = messages;
        _settings = settings;
        _live = new LiveStatus(time);
        _visible = settings.AnswerShowsControls ? new TerminalTextFilter() : null;
        _status = settings.Status switch
        {
            StatusPlacement.WithAnswer => new StatusLineRenderer(answer, settings.Width, settings.Colour),
            StatusPlacement.OnMessages => new StatusLineRenderer(messages, settings.Width, settings.Colour),
            _ => null,
        };
    }

    public void Start()
    {
        if (_status is not null)
        {
            _status.Update(_live.Render(0));
            _ticker = TickAsync(_status, _stopTicker.Token);
        }
    }

    public void Report(StreamStats value) => _live.Report(value);

    public void Write(Chunk chunk)
    {
        Interlocked.Increment(ref _chunks);
        _live.Saw(chunk);
        if (chunk.Kind == ChunkKind.Reasoning || (_settings.CodeOnly && chunk.Kind != ChunkKind.Code) || chunk.Text.Length == 0)
        {
            return;
        }

        string text = _visible?.Filter(chunk.Text) ?? chunk.Text;
        if (text.Length == 0)
        {
            // Only a carriage return, held until the next chunk shows whether a line feed follows.
            return;
        }

        string styled = _settings.Style?.Apply(chunk, text) ?? text;
        if (_settings.Status == StatusPlacement.WithAnswer)
        {
            _status!.WriteText(styled, text, _live.Render(Volatile.Read(ref _frame)));
        }
        else
        {
            _answer.Write(styled);
            _answer.Flush();
        }

        _last = text[^1];
    }

    public ValueTask RetryingAsync(RetryNotification retry)
    {
        _live.Retrying(retry);
        if (_status is null && !_settings.CodeOnly)
        {
            _messages.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{ScgCommand.Name}: {LiveStatus.DescribeFailure(retry.Reason)}, retrying in {LiveStatus.Time(retry.Delay)} (attempt {retry.Attempt + 1})"));
        }

        return ValueTask.CompletedTask;
    }

    public void Completed(CodeGenerationResult result, IReadOnlyList<SavedFile> saved)
    {
        StopLive();
        if (!_settings.Summary)
        {
            return;
        }

        foreach ((string label, string line) in RunSummary.Describe(result, Volatile.Read(ref _chunks), saved, _settings.SaveFolder))
        {
            // File names, languages, the finish reason and a refusal come from the model or the server.
            string text = Messages(line);
            if (_settings.MessagesConsole is { } console)
            {
                string colour = label switch { "Done" => "green", "Note" or "Refusal" => "yellow", _ => "blue" };
                console.MarkupLine($"[bold {colour}]{Markup.Escape(label)}[/]{(label == "Done" ? " " : ": ")}{Markup.Escape(text)}");
            }
            else
            {
                _messages.WriteLine(label + (label == "Done" ? " " : ": ") + text);
            }
        }
    }

    public void Failed(CommandLineError error, string partialText, StreamStats stats)
    {
        StopLive();
        if (_settings.MessagesConsole is { } console)
        {
            console.MarkupLine($"[bold red]{ScgCommand.Name}:[/] {Markup.Escape(Messages(error.Message))}");
        }
        else
        {
            _messages.WriteLine($"{ScgCommand.Name}: {Messages(error.Message)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        StopLive();
        await _ticker.ConfigureAwait(false);
        _stopTicker.Dispose();
    }

    private void StopLive()
    {
        if (!_stopTicker.IsCancellationRequested)
        {
            _stopTicker.Cancel();
        }

        if (_visible?.Flush() is { Length: > 0 } held)
        {
            // The answer ended with a carriage return that no line feed followed.
            if (_settings.Status == StatusPlacement.WithAnswer)
            {
                _status!.WriteText(held, held);
            }
            else
            {
                _answer.Write(held);
                _answer.Flush();
            }

            _last = held[^1];
        }

        _status?.Stop();
        if (_settings.AnswerIsTerminal && _last != '\n' && _last != '\r')
        {
            // On a terminal, end the answer's last line so the summary and the prompt start on their own.
            _answer.Write('\n');
            _answer.Flush();
            _last = '\n';
        }
    }

    /// <summary>A message as standard error should show it: control characters visible when it reaches a person.</summary>
    private string Messages(string text) => _settings.MessagesShowControls ? TerminalText.MakeVisible(text) : text;

    private async Task TickAsync(StatusLineRenderer status, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(LiveStatus.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                status.Update(_live.Render(Interlocked.Increment(ref _frame)));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
