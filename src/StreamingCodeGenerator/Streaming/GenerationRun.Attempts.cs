using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using Polly;

namespace StreamingCodeGeneration;

internal sealed partial class GenerationRun
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Opens a response that has reached its first content, retrying transient failures.</summary>
    private async ValueTask<ActiveAttempt> OpenAsync()
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(_runCts!.Token);
        try
        {
            context.Properties.Set(RetryPipelineFactory.RunKey, this);
            return await _core.Pipeline.ExecuteAsync(
                static (ctx, run) => run.AttemptAsync(ctx.CancellationToken),
                context,
                this).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt: send the request, check the status, and read events up to the first content (or the end of an
    /// empty answer). Everything that fails in here is still retryable, because the caller has seen nothing of it.
    /// </summary>
    private async ValueTask<ActiveAttempt> AttemptAsync(CancellationToken cancellationToken)
    {
        bool isContinuation = _acceptedLength > 0;
        var attempt = new ActiveAttempt(_options.TimeProvider, cancellationToken, isContinuation);
        try
        {
            attempt.ArmTimer(_options.FirstChunkTimeout);
            PipelineResponse response = await SendAsync(attempt).ConfigureAwait(false);
            Stream body = new BoundedEventStream(response.ContentStream ?? Stream.Null, _options.MaxEventSize);
            IAsyncEnumerator<SseItem<ChatStreamEvent>> events = SseParser.Create(body, _parser.Parse)
                .EnumerateAsync(attempt.Token)
                .GetAsyncEnumerator(attempt.Token);
            attempt.Open(response, events);

            while (true)
            {
                ChatStreamEvent? next = await attempt.ReadAsync().ConfigureAwait(false);
                if (next is null)
                {
                    if (attempt.SawFinishReason)
                    {
                        return attempt;
                    }

                    throw new StreamInterruptedException(
                        "The response ended before any content arrived (no finish reason and no [DONE]).",
                        StreamInterruptionReason.EndedWithoutFinishReason,
                        null,
                        null);
                }

                ChatStreamEvent e = next.Value;
                if (e.IsDone)
                {
                    attempt.SawDone = true;
                    attempt.EndOfBody = true;
                    return attempt;
                }

                if (e.Content is not null && e.Error is null)
                {
                    // The first content: hand the open response to the reading loop, which processes this event.
                    attempt.BufferedEvent = e;
                    return attempt;
                }

                HandleEvent(e, attempt);
            }
        }
        catch (Exception ex)
        {
            await attempt.DisposeAsync().ConfigureAwait(false);
            throw Translate(ex, attempt);
        }
    }

    private async ValueTask<PipelineResponse> SendAsync(ActiveAttempt attempt)
    {
        while (true)
        {
            _tracker.BeginAttempt();
            Log.AttemptStarting(Logger, _tracker.Attempts, _request.Model, attempt.IsContinuation);
            BinaryData body = ChatRequestWriter.Write(_request, _includeUsage, attempt.IsContinuation ? _accepted!.ToString() : null);
            var requestOptions = new RequestOptions
            {
                BufferResponse = false,
                ErrorOptions = ClientErrorBehaviors.NoThrow,
                CancellationToken = attempt.Token,
            };
            requestOptions.AddPolicy(SdkOverridesPolicy.Instance, PipelinePosition.PerCall);

            ClientResult result = await _core.Client.CompleteChatAsync(BinaryContent.Create(body), requestOptions).ConfigureAwait(false);
            PipelineResponse response = result.GetRawResponse();
            if (response.Status is >= 200 and < 300)
            {
                return response;
            }

            byte[] errorBody;
            try
            {
                errorBody = await ReadLimitedAsync(response.ContentStream, attempt.Token).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
            }

            string? requestId = Header(response, "x-request-id") ?? Header(response, "apim-request-id");
            ApiError error = ApiError.Parse(errorBody, requestId);
            error = error with { Message = SecretRedactor.Redact(error.Message, _options.ApiKey) };

            if (_includeUsage && response.Status is 400 or 422 && MentionsStreamOptions(error, errorBody))
            {
                // Some Azure API versions and hosted services reject stream_options: ask once more without it.
                _includeUsage = false;
                _tracker.DisableUsage();
                Log.StreamOptionsRejected(Logger, response.Status);
                continue;
            }

            throw CreateApiException(response, error);
        }
    }

    private ApiException CreateApiException(PipelineResponse response, ApiError error)
    {
        int status = response.Status;
        if (status is 401 or 403)
        {
            return new AuthenticationFailedException(status, error);
        }

        if (status == 429)
        {
            TimeSpan? retryAfter = RetryAfterParser.Parse(
                Header(response, "retry-after-ms"),
                Header(response, "retry-after"),
                _options.TimeProvider.GetUtcNow());
            return new RateLimitException(status, error, retryAfter);
        }

        if (string.Equals(error.Code, "context_length_exceeded", StringComparison.Ordinal)
            || (error.Message?.Contains("maximum context length", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return new ContextLengthExceededException(status, error);
        }

        return new ApiException(status, error);
    }

    private static bool MentionsStreamOptions(ApiError error, byte[] body) =>
        string.Equals(error.Param, "stream_options", StringComparison.Ordinal)
        || (error.Message?.Contains("stream_options", StringComparison.OrdinalIgnoreCase) ?? false)
        || body.AsSpan().IndexOf("stream_options"u8) >= 0;

    private static string? Header(PipelineResponse response, string name) =>
        response.Headers.TryGetValue(name, out string? value) ? value : null;

    private static async ValueTask<byte[]> ReadLimitedAsync(Stream? stream, CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            return [];
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            using var collected = new MemoryStream();
            int read;
            while (collected.Length < MaxErrorBodyBytes
                && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, MaxErrorBodyBytes - collected.Length)), cancellationToken).ConfigureAwait(false)) > 0)
            {
                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return [];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Called by the retry pipeline for a failed attempt.</summary>
    internal bool ShouldRetry(Exception exception)
    {
        if (CallerCancelled || !RetryClassifier.IsTransient(exception))
        {
            return false;
        }

        if (exception is RateLimitException { RetryAfter: TimeSpan retryAfter } && _options.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            TimeSpan remaining = _options.TotalTimeout - _tracker.Elapsed;
            if (retryAfter > remaining)
            {
                // Waiting as long as the server asks would outlive the total timeout: fail now.
                return false;
            }
        }

        return true;
    }

    /// <summary>Called by the retry pipeline before it waits for the next attempt.</summary>
    internal async ValueTask OnRetryAsync(int attemptNumber, TimeSpan delay, Exception? exception)
    {
        _ = attemptNumber;
        _tracker.SetStatus(StreamStatus.Retrying);
        string reason = exception?.Message ?? "unknown";
        Log.RetryScheduled(Logger, _tracker.Attempts, reason, delay.TotalMilliseconds);
        if (exception is not null)
        {
            Telemetry.RecordRetry(_activity, _request.Model, _tracker.Attempts, delay, exception, _acceptedLength > 0);
        }

        if (_options.OnRetry is { } onRetry && exception is CodeGenerationException failure)
        {
            await onRetry(new RetryNotification(_tracker.Attempts, delay, failure, _acceptedLength > 0)).ConfigureAwait(false);
        }
    }

    private bool CanContinue(Exception failure) =>
        _options.MidStreamRecovery == MidStreamRecovery.Continue
        && failure is StreamInterruptedException
        && _acceptedLength > 0
        && _continuations < _options.MaxRetries
        && !CallerCancelled;

    private async ValueTask BeginContinuationAsync(CodeGenerationException reason)
    {
        _continuations++;
        await DisposeAttemptAsync().ConfigureAwait(false);
        Log.Continuing(Logger, _acceptedLength, reason.Message);
        Telemetry.RecordRetry(_activity, _request.Model, _tracker.Attempts, TimeSpan.Zero, reason, isContinuation: true);
        _overlap = new ContinuationOverlapFilter(_accepted!);
        if (_options.OnRetry is { } onRetry)
        {
            await onRetry(new RetryNotification(_tracker.Attempts, TimeSpan.Zero, reason, isContinuation: true)).ConfigureAwait(false);
        }
    }

    private static StreamInterruptedException ServerErrorEvent(ApiError error) => new(
        string.IsNullOrEmpty(error.Message) ? "The server sent an error event in the stream." : error.Message,
        StreamInterruptionReason.ServerError,
        error,
        null);

    /// <summary>
    /// Maps any failure to what the caller sees. Caller cancellation wins over everything and stays an
    /// <see cref="OperationCanceledException"/>; then the total timeout; then this attempt's first-chunk or idle timer.
    /// </summary>
    private Exception Translate(Exception exception, ActiveAttempt? attempt)
    {
        if (CallerCancelled)
        {
            return exception as OperationCanceledException
                ?? new OperationCanceledException("The generation was cancelled.", exception, _generateToken.IsCancellationRequested ? _generateToken : _enumeratorToken);
        }

        if (exception is CodeGenerationException known)
        {
            return known;
        }

        if (_totalCts?.IsCancellationRequested == true)
        {
            return new StreamTimeoutException(StreamTimeoutKind.Total, _options.TotalTimeout, exception);
        }

        if (attempt?.PhaseTimedOut == true)
        {
            return attempt.HasContent
                ? new StreamTimeoutException(StreamTimeoutKind.Idle, _options.IdleTimeout, exception)
                : new StreamTimeoutException(StreamTimeoutKind.FirstChunk, _options.FirstChunkTimeout, exception);
        }

        return exception switch
        {
            SseProtocolException protocol => new MalformedResponseException(protocol.Message, protocol.OffendingLine, protocol),
            ClientResultException or HttpRequestException or IOException or System.Net.Sockets.SocketException =>
                new StreamInterruptedException(
                    "The connection to the server failed or was lost: " + SecretRedactor.Redact(exception.Message, _options.ApiKey),
                    StreamInterruptionReason.ConnectionLost,
                    null,
                    exception),
            _ => exception,
        };
    }
}
