using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// Anthropic's Messages API (<c>POST {Endpoint}messages</c>, <c>stream: true</c>): one attempt sends the request with
/// the key in <c>x-api-key</c> and the <c>anthropic-version</c> header, turns an error status into a typed exception
/// (529 "overloaded" is worth another attempt, <c>retry-after</c> is honoured), and yields the stream's text, thinking,
/// refusal, stop reason and usage as normalized updates.
/// </summary>
/// <remarks>
/// <para>
/// A stream ends only with <c>message_stop</c>: one that ends without it was cut, even when <c>message_delta</c> already
/// carried a stop reason. An <c>error</c> event (<c>overloaded_error</c>…) after the HTTP 200 is a mid-stream failure.
/// A <c>ping</c> is counted as a server event but is no sign of the model at work, so it resets no timer.
/// </para>
/// <para>
/// A continuation is a prefill (see <see cref="AnthropicRequestWriter"/>): Claude writes on from the prefill, which
/// lacks the answer's trailing whitespace, so the whitespace the continuation starts with is dropped as far as it
/// repeats what the answer already ends with. With extended thinking the continuation asks instead, and the stage
/// above drops what the model repeats.
/// </para>
/// </remarks>
internal sealed class AnthropicMessagesSource : IChatUpdateSource
{
    private readonly ProviderPipeline _pipeline;
    private readonly int? _thinkingBudgetTokens;
    private readonly int _maxEventSize;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _timeProvider;

    public AnthropicMessagesSource(ProviderPipeline pipeline, int? thinkingBudgetTokens, int maxEventSize, SecretRedactor redactor, TimeProvider timeProvider)
    {
        _pipeline = pipeline;
        _thinkingBudgetTokens = thinkingBudgetTokens;
        _maxEventSize = maxEventSize;
        _redactor = redactor;
        _timeProvider = timeProvider;
    }

    public string ProviderName => "anthropic";

    public Uri? ServerAddress => _pipeline.Endpoint;

    /// <summary>529 (<c>overloaded_error</c>): Anthropic has no capacity right now; another attempt may find some.</summary>
    public bool? IsTransient(CodeGenerationException failure) => failure is ApiException { StatusCode: 529 } ? true : null;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PipelineResponse response = await SendAsync(attempt, cancellationToken).ConfigureAwait(false);
        var parser = new AnthropicStreamEventParser(_redactor);
        IAsyncEnumerator<SseItem<ProviderStreamEvent>> events;
        try
        {
            events = await SourceHttp.OpenEventsAsync<ProviderStreamEvent>(response, _maxEventSize, parser.Parse, ParseErrorObject, _redactor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            response.Dispose();
            throw SourceHttp.Translate(ex, _redactor);
        }

        // The whitespace the prefill left out: the continuation's text starts with it (or part of it) again.
        string? trimmed = attempt.ContinuationText is { } answer && _thinkingBudgetTokens is null
            ? answer[AnthropicRequestWriter.Prefill(answer).Length..]
            : null;
        int repeated = 0;
        var text = new SurrogateRepair();
        var reasoning = new SurrogateRepair();
        bool sawStop = false, sawText = false;
        try
        {
            while (await SourceHttp.ReadAsync(events, _redactor).ConfigureAwait(false))
            {
                ProviderStreamEvent e = events.Current.Data;
                if (e.Error is { } error)
                {
                    throw SourceFailures.ErrorEvent(error, "Anthropic sent an error event in the stream.");
                }

                parser.NeedId &= e.Id is null;
                parser.NeedModel &= e.Model is null;
                string? delta = Repair(text, e.Content, e.ContentIllFormed);
                if (delta is not null && trimmed is not null)
                {
                    delta = DropRepeatedWhitespace(delta, ref trimmed, ref repeated);
                }

                var update = new ChatUpdate
                {
                    Text = delta,
                    Reasoning = Repair(reasoning, e.Reasoning, e.ReasoningIllFormed),
                    Refusal = e.Refusal,
                    FinishReason = e.FinishReason,
                    Usage = e.Usage,
                    ResponseId = e.Id,
                    ModelId = e.Model,
                };
                sawText |= update.Text is not null;
                sawStop |= e.IsTerminal;
                yield return update;
                if (sawStop)
                {
                    break;
                }
            }

            if (!sawStop)
            {
                throw SourceFailures.EndedEarly(sawText, "message_stop");
            }

            if (text.IsHolding || reasoning.IsHolding)
            {
                yield return new ChatUpdate { Text = NullIfEmpty(text.Flush()), Reasoning = NullIfEmpty(reasoning.Flush()) };
            }
        }
        finally
        {
            await SourceHttp.CloseAsync(events, response).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops from the start of a prefilled continuation the characters that repeat <paramref name="trimmed"/> (the
    /// answer's trailing whitespace, which the prefill left out), across deltas; once the text differs, the rest passes.
    /// </summary>
    private static string? DropRepeatedWhitespace(string delta, ref string? trimmed, ref int repeated)
    {
        string expected = trimmed!;
        int i = 0;
        while (i < delta.Length && repeated < expected.Length && delta[i] == expected[repeated])
        {
            i++;
            repeated++;
        }

        if (i == delta.Length && repeated < expected.Length)
        {
            return null; // all of it repeats the answer's whitespace so far: undecided still
        }

        trimmed = null;
        return i == 0 ? delta : NullIfEmpty(delta[i..]);
    }

    private static string? Repair(SurrogateRepair repair, string? text, bool illFormed) =>
        text is null ? null : NullIfEmpty(repair.Push(text, !illFormed));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>A JSON body instead of a stream: an error object (a gateway's) is the failure it describes.</summary>
    private ApiError? ParseErrorObject(byte[] json) =>
        json.AsSpan().IndexOf("\"error\""u8) >= 0 ? AnthropicErrorBody.Parse(json, requestId: null, _redactor) : null;

    /// <summary>Sends the request; returns a 2xx response, or throws the typed exception for an error status.</summary>
    private ValueTask<PipelineResponse> SendAsync(ChatAttempt attempt, CancellationToken cancellationToken) =>
        SourceHttp.SendAsync(
            _pipeline,
            AnthropicRequestWriter.RelativePath,
            AnthropicRequestWriter.Write(attempt, _thinkingBudgetTokens),
            (json, requestId) => AnthropicErrorBody.Parse(json, requestId, _redactor),
            "request-id",
            "Anthropic serves /v1/messages",
            _redactor,
            _timeProvider,
            cancellationToken);
}
