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
            attempt.ArmTimer(FirstChunkTimeout);
            PipelineResponse response = await SendAsync(attempt).ConfigureAwait(false);
            attempt.Open(response, await OpenEventsAsync(response, attempt.Token).ConfigureAwait(false));

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

                if ((e.Content is not null || (e.Reasoning is not null && _options.IncludeReasoning)) && e.Error is null)
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

    /// <summary>
    /// Turns a successful response body into events, by its content type: an event stream is parsed as SSE; a JSON
    /// body is a complete, non-streamed <c>chat.completion</c> (some gateways ignore <c>stream: true</c>), delivered
    /// as one event; anything else (a captive portal's HTML, a misrouted proxy) is a
    /// <see cref="MalformedResponseException"/> naming the type, unless its first bytes are server-sent events after all.
    /// </summary>
    private async ValueTask<IAsyncEnumerator<SseItem<ChatStreamEvent>>> OpenEventsAsync(PipelineResponse response, CancellationToken cancellationToken)
    {
        Stream body = response.ContentStream ?? Stream.Null;
        string? contentType = Header(response, "content-type");
        switch (ResponseContent.Classify(contentType))
        {
            case ResponseContentKind.Json:
                byte[] json = await ReadAllAsync(body, _options.MaxEventSize, cancellationToken).ConfigureAwait(false);
                ChatStreamEvent completion = _parser.Parse(string.Empty, json);
                if (completion.Content is null && completion.Reasoning is null && completion.FinishReason is null && completion.Error is null)
                {
                    throw new SseProtocolException("The server answered with a JSON body that is not a chat completion.", json, _core.Redactor);
                }

                return new FixedEvents(completion, new ChatStreamEvent { IsDone = true });
            case ResponseContentKind.Other:
                byte[] head = await ReadHeadAsync(body, cancellationToken).ConfigureAwait(false);
                if (!ResponseContent.LooksLikeEventStream(head))
                {
                    string? excerpt = _core.Redactor.Redact(ApiError.PlainExcerpt(head));
                    throw new MalformedResponseException(
                        $"The server answered HTTP {response.Status} with Content-Type '{_core.Redactor.Redact(contentType)}' instead of an event stream (a captive portal or a proxy in the way?): {excerpt ?? "(empty body)"}",
                        excerpt,
                        null);
                }

                body = new PrefixedStream(head, body);
                break;
        }

        return SseParser.Create(new BoundedEventStream(body, _options.MaxEventSize), _parser.Parse)
            .EnumerateAsync(cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Reads a whole body of at most <paramref name="limit"/> bytes; a larger one is malformed.</summary>
    private async ValueTask<byte[]> ReadAllAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > limit)
                {
                    throw new SseProtocolException(
                        $"The JSON body exceeded the maximum event size of {limit} bytes (StreamingCodeGeneratorOptions.MaxEventSize).", default, _core.Redactor);
                }

                collected.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return collected.ToArray();
    }

    /// <summary>Reads the first bytes of a body (a line, or up to 512 bytes) to see what it holds.</summary>
    private static async ValueTask<byte[]> ReadHeadAsync(Stream body, CancellationToken cancellationToken)
    {
        byte[] head = new byte[512];
        int length = 0, read;
        while (length < head.Length
            && (read = await body.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
            if (head.AsSpan(0, length).TrimStart("\r\n"u8).IndexOfAny((byte)'\n', (byte)'\r') >= 0)
            {
                break;
            }
        }

        return head.AsSpan(0, length).ToArray();
    }

    /// <summary>Events that are already known (a non-streamed completion): no body left to read.</summary>
    private sealed class FixedEvents : IAsyncEnumerator<SseItem<ChatStreamEvent>>
    {
        private readonly ChatStreamEvent[] _events;
        private int _index = -1;

        public FixedEvents(params ChatStreamEvent[] events)
        {
            _events = events;
        }

        public SseItem<ChatStreamEvent> Current => new(_events[_index]);

        public ValueTask<bool> MoveNextAsync() => new(++_index < _events.Length);

        public ValueTask DisposeAsync() => default;
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
            var overrides = new SdkOverridesPolicy();
            requestOptions.AddPolicy(overrides, PipelinePosition.PerCall);

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
            ApiError error = ApiError.Parse(errorBody, requestId, _core.Redactor) with
            {
                Request = overrides.Uri is null ? null : ApiError.DescribeRequest(overrides.Method ?? "POST", overrides.Uri),
                Hint = HintFor(response, overrides.Uri),
            };

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

    /// <summary>What to do about an error status that usually means a wrong <see cref="StreamingCodeGeneratorOptions.Endpoint"/>.</summary>
    private string? HintFor(PipelineResponse response, Uri? requested)
    {
        if (response.Status is >= 300 and < 400)
        {
            string? location = Header(response, "location");
            return location is null
                ? "The endpoint redirected without a Location; check StreamingCodeGeneratorOptions.Endpoint."
                : $"The endpoint redirected to {_core.Redactor.Redact(location)}; set StreamingCodeGeneratorOptions.Endpoint to it (redirects are not followed).";
        }

        if (response.Status is 404 or 405 or 501 && requested is not null
            && !requested.AbsolutePath.Contains("/v1", StringComparison.OrdinalIgnoreCase)
            && !requested.AbsolutePath.Contains("/openai/", StringComparison.OrdinalIgnoreCase))
        {
            return $"The endpoint's path has no /v1 segment; OpenAI-compatible servers serve /v1/chat/completions, so StreamingCodeGeneratorOptions.Endpoint is usually {requested.GetLeftPart(UriPartial.Authority)}/v1.";
        }

        return null;
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
            WithContext(failure);
            await onRetry(new RetryNotification(_tracker.Attempts, delay, failure, _acceptedLength > 0)).ConfigureAwait(false);
        }
    }

    private bool CanContinue(Exception failure) =>
        _options.MidStreamRecovery == MidStreamRecovery.Continue
        && failure is StreamInterruptedException
        && _acceptedLength > 0
        && _continuations < _options.MaxRetries
        && !CallerCancelled;

    /// <summary>Before asking the model to continue: the same backoff as any retry, so continuations do not hammer a struggling server.</summary>
    private async ValueTask BeginContinuationAsync(CodeGenerationException reason)
    {
        _continuations++;
        await DisposeAttemptAsync().ConfigureAwait(false);
        TimeSpan delay = RetryPipelineFactory.ComputeDelay(_continuations - 1, reason, _options.RetryBaseDelay, _options.RetryMaxDelay, _core.Jitter);
        _tracker.SetStatus(StreamStatus.Retrying);
        Log.Continuing(Logger, _acceptedLength, reason.Message, delay.TotalMilliseconds);
        Telemetry.RecordRetry(_activity, _request.Model, _tracker.Attempts, delay, reason, isContinuation: true);
        _overlap = new ContinuationOverlapFilter(_accepted!);
        WithContext(reason);
        if (_options.OnRetry is { } onRetry)
        {
            await onRetry(new RetryNotification(_tracker.Attempts, delay, reason, isContinuation: true)).ConfigureAwait(false);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider, _runCts!.Token).ConfigureAwait(false);
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
                : new StreamTimeoutException(StreamTimeoutKind.FirstChunk, FirstChunkTimeout, exception);
        }

        return exception switch
        {
            SseProtocolException protocol => new MalformedResponseException(protocol.Message, protocol.OffendingLine, protocol),
            ClientResultException or HttpRequestException or IOException or System.Net.Sockets.SocketException =>
                new StreamInterruptedException(
                    "The connection to the server failed or was lost: " + _core.Redactor.Redact(exception.Message),
                    StreamInterruptionReason.ConnectionLost,
                    null,
                    exception),
            _ => exception,
        };
    }
}
