using System.Globalization;
using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// The answer as text on standard output: exactly the model's characters, coloured on a terminal, plain when
/// redirected; the live status line where a terminal can show it; the summary and any error on standard error.
/// </summary>
internal sealed class TextOutput : IAnswerOutput
{
    private readonly TextWriter _answer;
    private readonly TextWriter _messages;
    private readonly TextOutputSettings _settings;
    private readonly LiveStatus _live;
    private readonly StatusLineRenderer? _status;
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

        string styled = _settings.Style?.Apply(chunk) ?? chunk.Text;
        if (_settings.Status == StatusPlacement.WithAnswer)
        {
            _status!.WriteText(styled, chunk.Text, _live.Render(Volatile.Read(ref _frame)));
        }
        else
        {
            _answer.Write(styled);
            _answer.Flush();
        }

        _last = chunk.Text[^1];
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

        foreach ((string label, string text) in RunSummary.Describe(result, Volatile.Read(ref _chunks), saved, _settings.SaveFolder))
        {
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
            console.MarkupLine($"[bold red]{ScgCommand.Name}:[/] {Markup.Escape(error.Message)}");
        }
        else
        {
            _messages.WriteLine($"{ScgCommand.Name}: {error.Message}");
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

        _status?.Stop();
        if (_settings.AnswerIsTerminal && _last != '\n' && _last != '\r')
        {
            // On a terminal, end the answer's last line so the summary and the prompt start on their own.
            _answer.Write('\n');
            _answer.Flush();
            _last = '\n';
        }
    }

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
