using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration;

/// <summary>
/// The one observer of a generation: the stages report what happens (attempt started, update received, retrying,
/// text delivered, ended) and the sink feeds the stats, the log, the telemetry and the caller's progress reports, so
/// the data path carries none of them. It also decides the final status, exactly once, and is the one place a
/// failure gets its context: exactly the text the caller received (it observes the answer for that) and the stats.
/// </summary>
internal sealed class GenerationSink
{
    private readonly StreamStatsTracker _stats;
    private readonly AnswerText _answer;
    private readonly ILogger _logger;
    private readonly SecretRedactor _redactor;
    private readonly Telemetry _telemetry;
    private readonly Func<RetryNotification, ValueTask>? _onRetry;
    private readonly IProgress<StreamStats>? _progress;
    private readonly TimeSpan _progressInterval;
    private readonly TimeProvider _timeProvider;
    private readonly string _requestModel;
    private readonly string _providerName;
    private readonly Uri? _server;
    private Activity? _activity;
    private TagList _tags;
    private bool _trace;
    private bool _firstChunkLogged;
    private long? _lastChunkTimestamp;
    private long? _lastProgressTimestamp;

    public GenerationSink(
        StreamStatsTracker stats,
        AnswerText answer,
        ILogger logger,
        SecretRedactor redactor,
        Telemetry telemetry,
        Func<RetryNotification, ValueTask>? onRetry,
        IProgress<StreamStats>? progress,
        TimeSpan progressInterval,
        TimeProvider timeProvider,
        string requestModel,
        string providerName,
        Uri? server)
    {
        _stats = stats;
        _answer = answer;
        _logger = logger;
        _redactor = redactor;
        _telemetry = telemetry;
        _onRetry = onRetry;
        _progress = progress;
        _progressInterval = progressInterval;
        _timeProvider = timeProvider;
        _requestModel = requestModel;
        _providerName = providerName;
        _server = server;
    }

    public StreamStats Snapshot() => _stats.Snapshot();

    /// <summary>Gets the token count of the text delivered so far, without a snapshot.</summary>
    public int TokenCount => _stats.TokenCount;

    public void Start(PreparedRequest request)
    {
        _trace = _logger.IsEnabled(LogLevel.Trace);
        _stats.Start();
        _activity = Telemetry.StartGeneration(_requestModel, _providerName, _server);
        _tags = Telemetry.Tags(_requestModel, _providerName, _server, responseModel: null, errorType: null);
        if (_trace)
        {
            foreach (ConversationMessage message in request.Messages)
            {
                Log.PromptMessage(_logger, message.Role, message.Content);
            }
        }
    }

    /// <summary>The options turned usage off: the stats say it was not requested.</summary>
    public void UsageNotRequested() => _stats.DisableUsage();

    public void AttemptStarting(bool isContinuation)
    {
        int attempt = _stats.BeginAttempt();
        Log.AttemptStarting(_logger, attempt, _requestModel, isContinuation);
    }

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
    public async ValueTask RetryingAsync(TimeSpan delay, CodeGenerationException reason, bool isContinuation)
    {
        _stats.SetStatus(StreamStatus.Retrying);
        WithContext(reason);
        int attempt = _stats.Attempts;
        if (isContinuation)
        {
            _stats.OnContinuation();
            Log.Continuing(_logger, _answer.DeliveredLength, reason.Message, delay.TotalMilliseconds);
        }
        else
        {
            Log.RetryScheduled(_logger, attempt, reason.Message, delay.TotalMilliseconds);
        }

        _telemetry.RecordRetry(_activity, _tags, attempt, delay, reason, isContinuation);
        ReportProgress(force: true, _timeProvider.GetTimestamp());
        if (_onRetry is not null)
        {
            await _onRetry(new RetryNotification(attempt, delay, reason, isContinuation)).ConfigureAwait(false);
        }
    }

    public void TextDelivered(int characters, int totalTokens)
    {
        // The clock is read before the stats change, so a reader who sees the new stats cannot change what was reported.
        long now = _progress is null && !_telemetry.TimePerOutputChunk.Enabled ? 0 : _timeProvider.GetTimestamp();
        _stats.OnDelivered(characters, totalTokens);
        if (!_firstChunkLogged)
        {
            _firstChunkLogged = true;
            Log.FirstChunk(_logger, _stats.Elapsed.TotalMilliseconds, _stats.Attempts);
        }

        if (_telemetry.TimePerOutputChunk.Enabled)
        {
            if (_lastChunkTimestamp is long previous)
            {
                _telemetry.TimePerOutputChunk.Record(_timeProvider.GetElapsedTime(previous, now).TotalSeconds, _tags);
            }

            _lastChunkTimestamp = now;
        }

        ReportProgress(force: false, now);
    }

    public void ReasoningDelivered()
    {
        long now = _progress is null ? 0 : _timeProvider.GetTimestamp();
        _stats.OnReasoningDelivered();
        ReportProgress(force: false, now);
    }

    /// <summary>The enumerator was disposed before it ran: cancelled, with nothing to log or measure.</summary>
    public void NeverStarted() => _stats.Finish(StreamStatus.Cancelled);

    /// <summary>Says what the local token count is (see <see cref="TokenCountKind"/>).</summary>
    public void TokenCountIs(TokenCountKind kind) => _stats.SetTokenCountKind(kind);

    /// <summary>The answer is complete: an estimated token count gives way to the server's, then the generation ends.</summary>
    public void Completed()
    {
        _stats.PreferServerUsage();
        End(StreamStatus.Completed, null);
    }

    public void Cancelled() => End(StreamStatus.Cancelled, null);

    /// <summary>The generation failed: the final status, then the failure's context (the final stats).</summary>
    public void Failed(Exception error)
    {
        End(StreamStatus.Failed, error);
        WithContext(error);
    }

    /// <summary>Attaches exactly what the caller received, and the stats now, to a failure.</summary>
    private void WithContext(Exception failure)
    {
        if (failure is CodeGenerationException generationFailure)
        {
            generationFailure.WithContext(_answer.Delivered, _stats.Snapshot());
        }
    }

    /// <summary>Reports progress when the caller asked for it: at most once per interval, and always when forced.</summary>
    private void ReportProgress(bool force, long now)
    {
        if (_progress is null)
        {
            return;
        }

        if (!force && _lastProgressTimestamp is long last && _timeProvider.GetElapsedTime(last, now) < _progressInterval)
        {
            return;
        }

        _lastProgressTimestamp = now;
        _progress.Report(_stats.Snapshot());
    }

    /// <summary>Ends the generation once: the final status, one log line, the telemetry record and the last progress report.</summary>
    private void End(StreamStatus status, Exception? error)
    {
        if (!_stats.Finish(status))
        {
            return;
        }

        StreamStats stats = _stats.Snapshot();
        string? errorType = null;
        switch (status)
        {
            case StreamStatus.Completed:
                Log.Completed(_logger, stats.ServerEventCount, stats.CharacterCount, stats.TokenCount, stats.Attempts, stats.RawFinishReason, stats.Elapsed.TotalMilliseconds);
                break;
            case StreamStatus.Cancelled:
                Log.Cancelled(_logger, stats.CharacterCount);
                errorType = "cancelled";
                break;
            default:
                Log.Failed(_logger, error!, stats.CharacterCount, stats.Attempts, error!.GetType().Name);
                errorType = error.GetType().Name;
                break;
        }

        _telemetry.RecordEnd(
            _activity,
            _requestModel,
            _providerName,
            _server,
            stats,
            errorType,
            status == StreamStatus.Cancelled ? "The generation was cancelled before the answer was complete." : error?.Message);
        _activity = null;
        _progress?.Report(stats);
    }
}
