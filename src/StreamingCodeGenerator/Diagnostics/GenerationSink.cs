using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration;

/// <summary>
/// The one observer of a generation: the stages report what happens (attempt started, update received, retrying,
/// text delivered, ended) and the sink feeds the stats, the log and the telemetry, so the data path carries none of
/// them. It also decides the final status, exactly once.
/// </summary>
internal sealed class GenerationSink
{
    private readonly StreamStatsTracker _stats;
    private readonly ILogger _logger;
    private readonly SecretRedactor _redactor;
    private readonly Func<RetryNotification, ValueTask>? _onRetry;
    private readonly string _requestModel;
    private readonly string _providerName;
    private readonly Uri? _server;
    private Activity? _activity;
    private bool _trace;

    public GenerationSink(StreamStatsTracker stats, ILogger logger, SecretRedactor redactor, Func<RetryNotification, ValueTask>? onRetry, string requestModel, string providerName, Uri? server)
    {
        _stats = stats;
        _logger = logger;
        _redactor = redactor;
        _onRetry = onRetry;
        _requestModel = requestModel;
        _providerName = providerName;
        _server = server;
    }

    /// <summary>Whether the generation has reached its final status.</summary>
    public bool HasEnded => _stats.Status is StreamStatus.Completed or StreamStatus.Failed or StreamStatus.Cancelled;

    public StreamStats Snapshot() => _stats.Snapshot();

    public void Start()
    {
        _trace = _logger.IsEnabled(LogLevel.Trace);
        _stats.Start();
        _activity = Telemetry.StartGeneration(_requestModel, _providerName, _server);
    }

    public void AttemptStarting(bool isContinuation)
    {
        int attempt = _stats.BeginAttempt();
        Log.AttemptStarting(_logger, attempt, _requestModel, isContinuation);
    }

    /// <summary>The options turned usage off: the stats say it was not requested.</summary>
    public void UsageNotRequested() => _stats.DisableUsage();

    public void UsageRejected(int statusCode)
    {
        _stats.DisableUsage();
        Log.StreamOptionsRejected(_logger, statusCode);
    }

    /// <summary>An update arrived from the source (every one counts, over all attempts).</summary>
    public void Update(in ChatUpdate update)
    {
        _stats.OnUpdate(update);
        if (_trace)
        {
            if (update.Reasoning is not null)
            {
                Log.ReasoningReceived(_logger, _redactor.Redact(update.Reasoning));
            }

            if (update.Text is not null)
            {
                Log.ContentReceived(_logger, _redactor.Redact(update.Text));
            }
        }
    }

    /// <summary>
    /// An attempt failed and another follows after <paramref name="delay"/>: the status says so, the failure gets its
    /// context (so the callback sees it), then the log, the telemetry and the caller's <c>OnRetry</c> hear of it.
    /// </summary>
    public async ValueTask RetryingAsync(TimeSpan delay, CodeGenerationException reason, bool isContinuation, string partialText)
    {
        _stats.SetStatus(StreamStatus.Retrying);
        reason.WithContext(partialText, _stats.Snapshot());
        int attempt = _stats.Attempts;
        if (isContinuation)
        {
            Log.Continuing(_logger, partialText.Length, reason.Message, delay.TotalMilliseconds);
        }
        else
        {
            Log.RetryScheduled(_logger, attempt, reason.Message, delay.TotalMilliseconds);
        }

        Telemetry.RecordRetry(_activity, _requestModel, attempt, delay, reason, isContinuation);
        if (_onRetry is not null)
        {
            await _onRetry(new RetryNotification(attempt, delay, reason, isContinuation)).ConfigureAwait(false);
        }
    }

    public void TextDelivered(int characters, int totalTokens) => _stats.OnDelivered(characters, totalTokens);

    public void ReasoningDelivered() => _stats.OnReasoningDelivered();

    /// <summary>The enumerator was disposed before it ran: cancelled, with nothing to log or measure.</summary>
    public void NeverStarted() => _stats.Finish(StreamStatus.Cancelled);

    public void Completed() => End(StreamStatus.Completed, null);

    public void Cancelled() => End(StreamStatus.Cancelled, null);

    public void Failed(Exception error) => End(StreamStatus.Failed, error);

    /// <summary>Ends the generation once: the final status, one log line, and the telemetry record.</summary>
    private void End(StreamStatus status, Exception? error)
    {
        if (!_stats.Finish(status))
        {
            return;
        }

        StreamStats stats = _stats.Snapshot();
        switch (status)
        {
            case StreamStatus.Completed:
                Log.Completed(_logger, stats.ServerEventCount, stats.CharacterCount, stats.TokenCount, stats.Attempts, stats.RawFinishReason, stats.Elapsed.TotalMilliseconds);
                break;
            case StreamStatus.Cancelled:
                Log.Cancelled(_logger, stats.CharacterCount);
                break;
            default:
                Log.Failed(_logger, error!, stats.CharacterCount, stats.Attempts, error!.GetType().Name);
                break;
        }

        Telemetry.RecordEnd(_activity, _requestModel, _providerName, stats, error);
        _activity = null;
    }
}
