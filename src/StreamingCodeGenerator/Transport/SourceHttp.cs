using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;

namespace StreamingCodeGeneration;

/// <summary>
/// What the native HTTP sources share: reading an error body (bounded), opening a successful body as server-sent events
/// (bounded per event, refusing a body that is not an event stream), and the one translation of this transport's
/// low-level failures into typed ones.
/// </summary>
internal static class SourceHttp
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// The events of a 2xx body. An event stream is parsed as SSE; a body of another type is a
    /// <see cref="MalformedResponseException"/> naming the type (a captive portal, a proxy, a gateway that ignored
    /// <c>stream: true</c>), unless it is an error object, which <paramref name="parseError"/> reads into the failure the
    /// server meant, or its first bytes are server-sent events after all.
    /// </summary>
    public static async ValueTask<IAsyncEnumerator<SseItem<T>>> OpenEventsAsync<T>(
        PipelineResponse response,
        int maxEventSize,
        SseItemParser<T> parse,
        Func<byte[], ApiError?> parseError,
        SecretRedactor redactor,
        CancellationToken cancellationToken)
    {
        Stream body = response.ContentStream ?? Stream.Null;
        string? contentType = HttpErrors.Header(response, "content-type");
        ResponseContentKind kind = ResponseContent.Classify(contentType);
        if (kind != ResponseContentKind.EventStream)
        {
            byte[] head = await ReadHeadAsync(body, cancellationToken).ConfigureAwait(false);
            if (!ResponseContent.LooksLikeEventStream(head))
            {
                if (kind == ResponseContentKind.Json)
                {
                    byte[] json = await ReadLimitedAsync(new PrefixedStream(head, body), cancellationToken).ConfigureAwait(false);
                    if (parseError(json) is { } error)
                    {
                        throw SourceFailures.ErrorEvent(error, "The server answered with an error object instead of an event stream.");
                    }
                }

                string? excerpt = redactor.Redact(ApiError.PlainExcerpt(head));
                throw new MalformedResponseException(
                    $"The server answered HTTP {response.Status} with Content-Type '{redactor.Redact(contentType)}' instead of an event stream (a captive portal, a proxy, or a server that does not stream?): {excerpt ?? "(empty body)"}",
                    excerpt,
                    null);
            }

            body = new PrefixedStream(head, body);
        }

        var bounded = new BoundedEventStream(body, maxEventSize);
        return SseParser.Create(bounded, (type, data) =>
            {
                bounded.EventDispatched();
                return parse(type, data);
            })
            .EnumerateAsync(cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>
    /// Sends a request through <paramref name="pipeline"/>; returns a 2xx response, or throws the typed exception for an
    /// error status (the provider's error body, its request id, the request line, a hint, and any retry delay).
    /// </summary>
    public static async ValueTask<PipelineResponse> SendAsync(
        ProviderPipeline pipeline,
        string relativePath,
        BinaryData body,
        Func<byte[], string?, ApiError> parseError,
        string requestIdHeader,
        string pathHint,
        SecretRedactor redactor,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var overrides = new SdkOverridesPolicy();
        PipelineResponse response;
        try
        {
            response = await pipeline.SendAsync(relativePath, body, overrides, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(ex, redactor);
        }

        if (response.Status is >= 200 and < 300)
        {
            return response;
        }

        byte[] errorBody;
        try
        {
            errorBody = await ReadLimitedAsync(response.ContentStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            response.Dispose();
        }

        ApiError error = parseError(errorBody, HttpErrors.Header(response, requestIdHeader)) with
        {
            Request = overrides.Uri is null ? null : ApiError.DescribeRequest(overrides.Method ?? "POST", overrides.Uri),
            Hint = HttpErrors.Hint(response, overrides.Uri, redactor, pathHint),
        };
        TimeSpan? retryAfter = RetryAfterParser.Parse(HttpErrors.Header(response, "retry-after-ms"), HttpErrors.Header(response, "retry-after"), timeProvider.GetUtcNow());
        throw SourceFailures.FromStatus(response.Status, error, retryAfter);
    }

    /// <summary>Reads an error body, at most 64 KiB; a body that breaks off is what arrived.</summary>
    public static async ValueTask<byte[]> ReadLimitedAsync(Stream? stream, CancellationToken cancellationToken)
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

    /// <summary>
    /// The one place this transport's low-level failures become typed: a body that is not SSE is malformed, a lost or
    /// refused connection is an interruption. Cancellation passes through; the layers above tell a caller's
    /// cancellation from a timeout.
    /// </summary>
    public static Exception Translate(Exception exception, SecretRedactor redactor) => exception switch
    {
        CodeGenerationException or OperationCanceledException => exception,
        SseProtocolException protocol => new MalformedResponseException(protocol.Message, protocol.OffendingLine, protocol),
        ClientResultException or HttpRequestException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException =>
            SourceFailures.ConnectionLost(exception, redactor),
        _ => exception,
    };

    /// <summary>Reads the next event, translating failures.</summary>
    public static async ValueTask<bool> ReadAsync<T>(IAsyncEnumerator<SseItem<T>> events, SecretRedactor redactor)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(ex, redactor);
        }
    }

    /// <summary>Disposes the events and the response: the connection closes whatever state the body was in.</summary>
    public static async ValueTask CloseAsync<T>(IAsyncEnumerator<SseItem<T>>? events, PipelineResponse response)
    {
        if (events is not null)
        {
            try
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The enumerator may throw on a body already torn down; closing the response is what matters.
            }
        }

        response.Dispose();
    }

    /// <summary>Reads the first bytes of a body (a line, or up to 512 bytes) to see what it holds.</summary>
    public static async ValueTask<byte[]> ReadHeadAsync(Stream body, CancellationToken cancellationToken)
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
}
