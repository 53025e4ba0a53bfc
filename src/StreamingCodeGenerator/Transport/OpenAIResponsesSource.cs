using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// OpenAI's Responses API (<c>POST {Endpoint}responses</c>, <c>stream: true</c>, <c>store: false</c>): one attempt
/// sends the request with the key as a bearer token, turns an error status into a typed exception, and yields the
/// stream's text, reasoning summary (or raw reasoning), refusal, outcome and usage as normalized updates.
/// </summary>
/// <remarks>
/// <para>
/// A stream ends with <c>response.completed</c> or <c>response.incomplete</c> (whose reason, such as
/// <c>max_output_tokens</c>, is the finish reason: the answer is truncated, as with Chat Completions' <c>length</c>); one
/// that ends without either was cut. An <c>error</c> event or <c>response.failed</c> is a mid-stream failure; the API
/// sends the first before the second, and the first is the one reported.
/// </para>
/// <para>
/// Reasoning streams only when the request asks for a summary, which models that do not reason refuse: the request
/// asks for <c>reasoning.summary: auto</c> when <see cref="StreamingCodeGeneratorOptions.IncludeReasoning"/> is on and
/// the model is one this library knows to reason (o-series, GPT-5 and its codex models).
/// </para>
/// </remarks>
internal sealed class OpenAIResponsesSource : IChatUpdateSource
{
    private readonly ProviderPipeline _pipeline;
    private readonly bool _includeReasoning;
    private readonly int _maxEventSize;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _timeProvider;

    public OpenAIResponsesSource(ProviderPipeline pipeline, bool includeReasoning, int maxEventSize, SecretRedactor redactor, TimeProvider timeProvider)
    {
        _pipeline = pipeline;
        _includeReasoning = includeReasoning;
        _maxEventSize = maxEventSize;
        _redactor = redactor;
        _timeProvider = timeProvider;
    }

    public string ProviderName => "openai";

    public Uri? ServerAddress => _pipeline.Endpoint;

    /// <summary>The <c>reasoning.summary</c> a request for <paramref name="model"/> asks for, or <see langword="null"/> for none.</summary>
    public string? ReasoningSummary(string model) => _includeReasoning && KnownModels.IsReasoning(model) ? "auto" : null;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PipelineResponse response = await SendAsync(attempt, cancellationToken).ConfigureAwait(false);
        var parser = new ResponsesStreamEventParser(_redactor);
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

        var text = new SurrogateRepair();
        var reasoning = new SurrogateRepair();
        bool sawEnd = false, sawText = false;
        try
        {
            while (await SourceHttp.ReadAsync(events, _redactor).ConfigureAwait(false))
            {
                ProviderStreamEvent e = events.Current.Data;
                if (e.Error is { } error)
                {
                    throw SourceFailures.ErrorEvent(error, "The response failed (an error event in the stream).");
                }

                if (e.IsDone)
                {
                    break;
                }

                parser.NeedId &= e.Id is null;
                parser.NeedModel &= e.Model is null;
                var update = new ChatUpdate
                {
                    Text = Repair(text, e.Content, e.ContentIllFormed),
                    Reasoning = Repair(reasoning, e.Reasoning, e.ReasoningIllFormed),
                    Refusal = e.Refusal,
                    FinishReason = e.FinishReason,
                    Usage = e.Usage,
                    ResponseId = e.Id,
                    ModelId = e.Model,
                };
                sawText |= update.Text is not null;
                sawEnd |= e.IsTerminal;
                yield return update;
                if (sawEnd)
                {
                    break;
                }
            }

            if (!sawEnd)
            {
                throw SourceFailures.EndedEarly(sawText, "response.completed");
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

    private static string? Repair(SurrogateRepair repair, string? text, bool illFormed) =>
        text is null ? null : NullIfEmpty(repair.Push(text, !illFormed));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>A JSON body instead of a stream: an error object is the failure it describes.</summary>
    private ApiError? ParseErrorObject(byte[] json) =>
        json.AsSpan().IndexOf("\"error\""u8) >= 0 ? ApiError.Parse(json, requestId: null, _redactor) : null;

    /// <summary>Sends the request; returns a 2xx response, or throws the typed exception for an error status.</summary>
    private ValueTask<PipelineResponse> SendAsync(ChatAttempt attempt, CancellationToken cancellationToken) =>
        SourceHttp.SendAsync(
            _pipeline,
            ResponsesRequestWriter.RelativePath,
            ResponsesRequestWriter.Write(attempt, ReasoningSummary(attempt.Request.Model)),
            (json, requestId) => ApiError.Parse(json, requestId, _redactor),
            "x-request-id",
            "OpenAI serves /v1/responses",
            _redactor,
            _timeProvider,
            cancellationToken);
}
