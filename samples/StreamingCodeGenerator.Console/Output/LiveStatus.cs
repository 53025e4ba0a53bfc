using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// What the status line says, from the library's throttled progress reports, its retry notifications and the clock:
/// spinner, elapsed time, tokens, tokens per second, time to first chunk, attempt, the file being written, and while
/// waiting to retry a countdown ("rate limited, retrying in 4 s"). No terminal here, so it is tested on a fake clock.
/// </summary>
internal sealed class LiveStatus : IProgress<StreamStats>
{
    private static readonly string[] SpinnerFrames = [.. Spectre.Console.Spinner.Known.Dots.Frames];

    private readonly TimeProvider _time;
    private readonly long _started;
    private StreamStats _stats = StreamStats.Empty;
    private RetryWait? _retry;
    private string? _writing;

    public LiveStatus(TimeProvider time)
    {
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>Gets the interval between spinner frames and countdown updates.</summary>
    public static TimeSpan Interval => Spectre.Console.Spinner.Known.Dots.Interval;

    public void Report(StreamStats value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Volatile.Write(ref _stats, value);
        if (Volatile.Read(ref _retry) is { } retry && value.Status != StreamStatus.Retrying && value.Attempts > retry.FailedAttempt)
        {
            Volatile.Write(ref _retry, null);
        }
    }

    /// <summary>Starts the countdown to the next attempt.</summary>
    public void Retrying(RetryNotification retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        Volatile.Write(ref _retry, new RetryWait(DescribeFailure(retry.Reason), retry.Attempt, _time.GetTimestamp(), retry.Delay));
    }

    /// <summary>Notes which code block is being written; any content also ends a retry wait.</summary>
    public void Saw(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        Volatile.Write(ref _writing, chunk.Kind is ChunkKind.Code or ChunkKind.Fence ? chunk.FileName ?? chunk.Language ?? "code" : null);
        Volatile.Write(ref _retry, null);
    }

    /// <summary>The status line for the current moment; <paramref name="frame"/> picks the spinner's frame.</summary>
    public string Render(int frame)
    {
        StreamStats stats = Volatile.Read(ref _stats);
        TimeSpan elapsed = _time.GetElapsedTime(_started);
        var line = new StringBuilder(96);
        line.Append(SpinnerFrames[(int)((uint)frame % (uint)SpinnerFrames.Length)]).Append(' ');
        if (Volatile.Read(ref _retry) is { } retry)
        {
            TimeSpan left = retry.Delay - _time.GetElapsedTime(retry.Since);
            line.Append(retry.Reason).Append(", ");
            line.Append(left > TimeSpan.Zero
                ? string.Create(CultureInfo.InvariantCulture, $"retrying in {Math.Ceiling(left.TotalSeconds):0} s")
                : "retrying now");
            line.Append(CultureInfo.InvariantCulture, $" (attempt {retry.FailedAttempt + 1}) · {Time(elapsed)}");
            return line.ToString();
        }

        line.Append(Time(elapsed));
        if (stats.TimeToFirstChunk is not { } firstChunk)
        {
            line.Append(" · waiting for the first chunk");
        }
        else
        {
            line.Append(CultureInfo.InvariantCulture, $" · {stats.TokenCount} tokens · {stats.TokensPerSecond:0.0} tok/s · first chunk {Time(firstChunk)}");
        }

        line.Append(CultureInfo.InvariantCulture, $" · attempt {Math.Max(stats.Attempts, 1)}");
        if (Volatile.Read(ref _writing) is { } writing)
        {
            // The status line is always on a terminal, and the file name comes from the model.
            line.Append(" · writing ").Append(TerminalText.MakeVisible(CommandLineErrors.OneLine(writing)));
        }

        return line.ToString();
    }

    /// <summary>A short name for why an attempt failed, for the countdown and the plain retry notice.</summary>
    public static string DescribeFailure(CodeGenerationException reason) => reason switch
    {
        RateLimitException => "rate limited",
        StreamTimeoutException { Kind: StreamTimeoutKind.FirstChunk } => "no answer in time",
        StreamTimeoutException => "timed out",
        ApiException { StatusCode: >= 500 } api => string.Create(CultureInfo.InvariantCulture, $"server error {api.StatusCode}"),
        ApiException api => string.Create(CultureInfo.InvariantCulture, $"HTTP {api.StatusCode}"),
        StreamInterruptedException => "connection lost",
        MalformedResponseException => "malformed response",
        _ => "failed",
    };

    /// <summary>Seconds with one decimal under a minute, else minutes and seconds; milliseconds under a second.</summary>
    public static string Time(TimeSpan time) => time.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0} ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}:{time.Seconds:00} min"),
    };

    private sealed record RetryWait(string Reason, int FailedAttempt, long Since, TimeSpan Delay);
}
