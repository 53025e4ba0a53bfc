using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using OpenAI.Chat;

namespace StreamingCodeGeneration;

/// <summary>
/// The OpenAI-compatible source: one attempt sends the request through the OpenAI SDK's protocol method (its
/// endpoint, credentials and pipeline; its retries off, its network timeout lifted), turns an error status into a
/// typed exception, reads the body as server-sent events (or a non-streamed <c>chat.completion</c>) and yields
/// normalized updates. It is the one place that translates this transport's low-level failures.
/// </summary>
internal sealed class OpenAIChatSource : IChatUpdateSource
{

    private readonly ChatClient _client;
    private readonly int _maxEventSize;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _timeProvider;

    public OpenAIChatSource(ChatClient client, Uri? serverAddress, string providerName, int maxEventSize, SecretRedactor redactor, TimeProvider timeProvider)
    {
        _client = client;
        ServerAddress = serverAddress;
        ProviderName = providerName;
        _maxEventSize = maxEventSize;
        _redactor = redactor;
        _timeProvider = timeProvider;
    }

    public string ProviderName { get; }

    public Uri? ServerAddress { get; }

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PipelineResponse response = await SendAsync(attempt, cancellationToken).ConfigureAwait(false);
        var parser = new ChatStreamEventParser(_redactor);
        IAsyncEnumerator<SseItem<ChatStreamEvent>> events;
        try
        {
            events = await OpenEventsAsync(response, parser, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            response.Dispose();
            throw SourceHttp.Translate(ex, _redactor);
        }

        var text = new SurrogateRepair();
        var reasoning = new SurrogateRepair();
        bool sawDone = false, sawFinishReason = false, sawText = false;
        try
        {
            while (await ReadAsync(events).ConfigureAwait(false))
            {
                ChatStreamEvent e = events.Current.Data;
                if (e.IsDone)
                {
                    sawDone = true;
                    break;
                }

                if (e.Error is { } error)
                {
                    throw SourceFailures.ErrorEvent(error);
                }

                parser.NeedId &= e.Id is null;
                parser.NeedModel &= e.Model is null;
                sawFinishReason |= e.FinishReason is not null;
                var update = new ChatUpdate
                {
                    Text = Repair(text, e.Content, e.ContentIllFormed),
                    Reasoning = Repair(reasoning, e.Reasoning, e.ReasoningIllFormed),
                    Refusal = e.Refusal,
                    FinishReason = e.FinishReason,
                    Usage = e.Usage,
                    ResponseId = e.Id,
                    ModelId = e.Model,
                    ContentFiltered = e.ContentFiltered,
                };
                sawText |= update.Text is not null;
                yield return update;
            }

            if (!sawDone && !sawFinishReason)
            {
                throw SourceFailures.EndedEarly(sawText);
            }

            if (text.IsHolding || reasoning.IsHolding)
            {
                yield return new ChatUpdate { Text = NullIfEmpty(text.Flush()), Reasoning = NullIfEmpty(reasoning.Flush()) };
            }
        }
        finally
        {
            try
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The enumerator may throw on a body already torn down; closing the response is what matters.
            }

            response.Dispose();
        }
    }

    private static string? Repair(SurrogateRepair repair, string? text, bool illFormed) =>
        text is null ? null : NullIfEmpty(repair.Push(text, !illFormed));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>Reads the next event, translating failures; the common case completes synchronously without an extra state machine.</summary>
    private ValueTask<bool> ReadAsync(IAsyncEnumerator<SseItem<ChatStreamEvent>> events)
    {
        ValueTask<bool> read;
        try
        {
            read = events.MoveNextAsync();
        }
        catch (Exception ex)
        {
            throw SourceHttp.Translate(ex, _redactor);
        }

        return read.IsCompletedSuccessfully ? read : AwaitAsync(read);

        // Pooled: a slow stream suspends here once per chunk, and an unpooled box per suspension is garbage per chunk.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        async ValueTask<bool> AwaitAsync(ValueTask<bool> pending)
        {
            try
            {
                return await pending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw SourceHttp.Translate(ex, _redactor);
            }
        }
    }

    /// <summary>
    /// Sends the request; returns a 2xx response, or throws the typed exception for an error status
    /// (<see cref="UsageRejectedException"/> when the server refuses <c>stream_options</c>).
    /// </summary>
    private async ValueTask<PipelineResponse> SendAsync(ChatAttempt attempt, CancellationToken cancellationToken)
    {
        BinaryData body = ChatRequestWriter.Write(attempt);
        var requestOptions = new RequestOptions
        {
            BufferResponse = false,
            ErrorOptions = ClientErrorBehaviors.NoThrow,
            CancellationToken = cancellationToken,
        };
        var overrides = new SdkOverridesPolicy();
        requestOptions.AddPolicy(overrides, PipelinePosition.PerCall);

        PipelineResponse response;
        try
        {
            ClientResult result = await _client.CompleteChatAsync(BinaryContent.Create(body), requestOptions).ConfigureAwait(false);
            response = result.GetRawResponse();
        }
        catch (Exception ex)
        {
            throw SourceHttp.Translate(ex, _redactor);
        }

        if (response.Status is >= 200 and < 300)
        {
            return response;
        }

        byte[] errorBody;
        try
        {
            errorBody = await SourceHttp.ReadLimitedAsync(response.ContentStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            response.Dispose();
        }

        string? requestId = HttpErrors.Header(response, "x-request-id") ?? HttpErrors.Header(response, "apim-request-id");
        ApiError error = ApiError.Parse(errorBody, requestId, _redactor) with
        {
            Request = overrides.Uri is null ? null : ApiError.DescribeRequest(overrides.Method ?? "POST", overrides.Uri),
            Hint = HttpErrors.Hint(response, overrides.Uri, _redactor),
        };

        ApiException failure = HttpErrors.Create(response, error, _timeProvider);
        if (attempt.IncludeUsage && HttpErrors.RejectsStreamOptions(response, error, errorBody))
        {
            // Some Azure API versions and hosted services reject stream_options: the resilience stage asks again without it.
            throw new UsageRejectedException(response.Status, failure);
        }

        throw failure;
    }

    /// <summary>
    /// Turns a successful response body into events, by its content type: an event stream is parsed as SSE; a JSON
    /// body is a complete, non-streamed <c>chat.completion</c> (some gateways ignore <c>stream: true</c>), delivered
    /// as one event; anything else (a captive portal's HTML, a misrouted proxy) is a
    /// <see cref="MalformedResponseException"/> naming the type, unless its first bytes are server-sent events after all.
    /// </summary>
    private async ValueTask<IAsyncEnumerator<SseItem<ChatStreamEvent>>> OpenEventsAsync(PipelineResponse response, ChatStreamEventParser parser, CancellationToken cancellationToken)
    {
        Stream body = response.ContentStream ?? Stream.Null;
        string? contentType = HttpErrors.Header(response, "content-type");
        switch (ResponseContent.Classify(contentType))
        {
            case ResponseContentKind.Json:
                byte[] json = await ReadAllAsync(body, cancellationToken).ConfigureAwait(false);
                ChatStreamEvent completion = parser.Parse(string.Empty, json);
                if (completion.Content is null && completion.Reasoning is null && completion.FinishReason is null && completion.Error is null)
                {
                    throw new SseProtocolException("The server answered with a JSON body that is not a chat completion.", json, _redactor);
                }

                return new FixedEvents(completion, new ChatStreamEvent { IsDone = true });
            case ResponseContentKind.Other:
                byte[] head = await SourceHttp.ReadHeadAsync(body, cancellationToken).ConfigureAwait(false);
                if (!ResponseContent.LooksLikeEventStream(head))
                {
                    string? excerpt = _redactor.Redact(ApiError.PlainExcerpt(head));
                    throw new MalformedResponseException(
                        $"The server answered HTTP {response.Status} with Content-Type '{_redactor.Redact(contentType)}' instead of an event stream (a captive portal or a proxy in the way?): {excerpt ?? "(empty body)"}",
                        excerpt,
                        null);
                }

                body = new PrefixedStream(head, body);
                break;
        }

        var bounded = new BoundedEventStream(body, _maxEventSize);
        return SseParser.Create(bounded, (type, data) =>
            {
                bounded.EventDispatched();
                return parser.Parse(type, data);
            })
            .EnumerateAsync(cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Reads a whole JSON body of at most <c>MaxEventSize</c> bytes; a larger one is malformed.</summary>
    private async ValueTask<byte[]> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > _maxEventSize)
                {
                    throw new SseProtocolException(
                        $"The JSON body exceeded the maximum event size of {_maxEventSize} bytes (StreamingCodeGeneratorOptions.MaxEventSize).", default, _redactor);
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

    /// <summary>Events that are already known (a non-streamed completion): no body left to read.</summary>
    private sealed class FixedEvents : IAsyncEnumerator<SseItem<ChatStreamEvent>>
    {
        private readonly ChatStreamEvent[] _events;
        private int _index = -1;

        public FixedEvents(params ChatStreamEvent[] events)
        {
            _events = events;
        }

        public SseItem<ChatStreamEvent> Current => new(_events[Math.Clamp(_index, 0, _events.Length - 1)]);

        public ValueTask<bool> MoveNextAsync() => new(++_index < _events.Length);

        public ValueTask DisposeAsync() => default;
    }
}
