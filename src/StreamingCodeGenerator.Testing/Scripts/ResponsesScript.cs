using System.Text;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A fluent builder for one streamed response of OpenAI's Responses API (<c>POST /v1/responses</c>): every event is
/// <c>event: TYPE</c> and <c>data: {"type":"TYPE","sequence_number":N,…}</c> as OpenAI sends it, written and flushed on
/// its own. Converts implicitly to a script, like <see cref="SseScript"/>, whose pacing, waits and faults it shares.
/// </summary>
/// <remarks>
/// <para>
/// The builder keeps the response's shape for you: the first content step starts the response
/// (<c>response.created</c>, <c>response.in_progress</c>) when <see cref="Created"/> was not called; <see cref="Text"/>,
/// <see cref="Refusal"/>, <see cref="ReasoningSummary"/>, <see cref="ReasoningText"/> and <see cref="FunctionCall"/>
/// open an output item of their kind when the open one is of another kind, and close the open one first with its
/// <c>*.done</c> events; <see cref="Completed"/>, <see cref="Incomplete"/> and <see cref="Failed"/> close the open item
/// and send the terminal event with the whole response (its output and usage). Leave them out for a stream that ends
/// without a terminal event.
/// </para>
/// <para>
/// Events are built when the script is (<see cref="Build"/> or the conversion), with sequence numbers from 0. Response
/// id and model are <see cref="DefaultId"/> and <see cref="DefaultModel"/> unless <see cref="WithId"/> and
/// <see cref="WithModel"/> say otherwise.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var server = await OpenAITestServer.StartAsync(
///     new ResponsesScript()
///         .ReasoningSummary("**Planning**\n\nA sort is enough.")
///         .Text("Here it is:\n")
///         .CodeBlock("python", "xs.sort()")
///         .Completed(inputTokens: 20, reasoningTokens: 64));
/// // POST {server.Endpoint}responses answers with the stream.
/// </code>
/// </example>
public sealed class ResponsesScript
{
    /// <summary>The response id unless <see cref="WithId"/> sets another.</summary>
    public const string DefaultId = "resp_test";

    /// <summary>The model the response names unless <see cref="WithModel"/> sets another.</summary>
    public const string DefaultModel = "gpt-5-codex";

    /// <summary>The message OpenAI sends with <c>server_error</c>.</summary>
    public const string ServerErrorMessage = "An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists.";

    private readonly ProviderScriptCore<State> _core = new();
    private string _id = DefaultId;
    private string _model = DefaultModel;

    private enum Item
    {
        None,
        Message,
        Refusal,
        Summary,
        ReasoningText,
    }

    /// <summary>
    /// Creates the standard answer: <c>response.created</c>, <c>response.in_progress</c>, a message item with one
    /// <c>response.output_text.delta</c> per item of <paramref name="texts"/>, its done events, and
    /// <c>response.completed</c> with usage (12 input tokens, one output token per piece).
    /// </summary>
    /// <param name="texts">The text pieces.</param>
    /// <returns>A builder holding the answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is <see langword="null"/>.</exception>
    public static ResponsesScript Answer(params string[] texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new ResponsesScript().Created().Text(texts).Completed();
    }

    /// <summary>Converts a builder to a script.</summary>
    /// <param name="script">The builder.</param>
    /// <returns>The script, as <see cref="Build"/> returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is <see langword="null"/>.</exception>
    public static implicit operator Func<HttpContext, Task>(ResponsesScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return script.Build();
    }

    /// <inheritdoc cref="SseScript.WithStatus(int)"/>
    public ResponsesScript WithStatus(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        _core.Status = statusCode;
        return this;
    }

    /// <inheritdoc cref="SseScript.WithHeader(string, string)"/>
    public ResponsesScript WithHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WithHeader(name, _ => value);
    }

    /// <inheritdoc cref="SseScript.WithHeader(string, Func{RecordedRequest, string})"/>
    public ResponsesScript WithHeader(string name, Func<RecordedRequest, string> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _core.AddHeader(name, value);
        return this;
    }

    /// <summary>Sets the response id every <c>response</c> object carries.</summary>
    /// <param name="id">The id.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="DefaultId"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public ResponsesScript WithId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _id = id;
        return this;
    }

    /// <summary>Sets the model every <c>response</c> object names.</summary>
    /// <param name="model">The model.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="DefaultModel"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public ResponsesScript WithModel(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        return this;
    }

    /// <summary>Adds <c>response.created</c> and <c>response.in_progress</c>, each with the response (<c>status: in_progress</c>, no output, <c>usage: null</c>).</summary>
    /// <param name="queued">Also sends <c>response.queued</c> between them, as a background response does (and <c>status: queued</c> on the first).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The response already started (at build time).</exception>
    public ResponsesScript Created(bool queued = false)
    {
        _core.Add((script, state) =>
        {
            if (state.Started)
            {
                throw new InvalidOperationException("ResponsesScript: the response already started; call Created once, before any content.");
            }

            Start(script, state, queued);
        });
        return this;
    }

    /// <summary>Adds one <c>response.output_text.delta</c> per piece, in a message item (opened when the open item is not one).</summary>
    /// <param name="pieces">The pieces, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public ResponsesScript Text(params string[] pieces) => Deltas(Item.Message, "response.output_text.delta", pieces, ",\"logprobs\":[]");

    /// <summary>Adds <paramref name="text"/> as text deltas of <paramref name="pieceLength"/> characters (a surrogate pair is never split).</summary>
    /// <param name="text">The text.</param>
    /// <param name="pieceLength">The characters per delta.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pieceLength"/> is not positive.</exception>
    public ResponsesScript TextInPieces(string text, int pieceLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        return Text(SseScript.Split(text, pieceLength));
    }

    /// <summary>Adds a fenced code block as text deltas, exactly as <see cref="SseScript.CodeBlock"/> builds it.</summary>
    /// <param name="language">The language named by the fence, for example <c>csharp</c>; may be empty.</param>
    /// <param name="code">The code.</param>
    /// <param name="fileName">The file name to put in the fence's info string, or <see langword="null"/>.</param>
    /// <param name="pieceLength">The characters per delta.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="language"/> or <paramref name="code"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pieceLength"/> is not positive.</exception>
    public ResponsesScript CodeBlock(string language, string code, string? fileName = null, int pieceLength = 16)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        return Text(SseScript.Split(SseScript.Fence(language, code, fileName), pieceLength));
    }

    /// <summary>Adds one <c>response.refusal.delta</c> per piece, in a message item whose content part is a <c>refusal</c>.</summary>
    /// <param name="pieces">The refusal, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public ResponsesScript Refusal(params string[] pieces) => Deltas(Item.Refusal, "response.refusal.delta", pieces, string.Empty);

    /// <summary>
    /// Adds one summary part of a reasoning item (opened when the open item is not one): <c>response.reasoning_summary_part.added</c>,
    /// one <c>response.reasoning_summary_text.delta</c> per piece. Each call adds another part, as o-series and GPT-5 models send them.
    /// </summary>
    /// <param name="pieces">The summary text, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public ResponsesScript ReasoningSummary(params string[] pieces)
    {
        string[] copy = Copy(pieces);
        _core.Add((script, state) =>
        {
            Open(script, state, Item.Summary);
            if (state.Part is not null)
            {
                CloseSummaryPart(script, state);
            }

            state.Part = new StringBuilder();
            Write(script, state, "response.reasoning_summary_part.added",
                ItemRef(state) + ",\"summary_index\":" + JsonText.Number(state.Parts.Count) + ",\"part\":{\"type\":\"summary_text\",\"text\":\"\"}");
            foreach (string piece in copy)
            {
                state.Part.Append(piece);
                state.Deltas++;
                Write(script, state, "response.reasoning_summary_text.delta",
                    ItemRef(state) + ",\"summary_index\":" + JsonText.Number(state.Parts.Count) + ",\"delta\":" + JsonText.Quote(piece));
            }
        });
        return this;
    }

    /// <summary>
    /// Adds one <c>response.reasoning_text.delta</c> per piece, in a reasoning item with a <c>reasoning_text</c> part: raw
    /// reasoning, as DeepSeek and gpt-oss (through OpenRouter) stream it.
    /// </summary>
    /// <param name="pieces">The reasoning, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public ResponsesScript ReasoningText(params string[] pieces) => Deltas(Item.ReasoningText, "response.reasoning_text.delta", pieces, string.Empty);

    /// <summary>
    /// Adds a function call item (<c>response.output_item.added</c>, one <c>response.function_call_arguments.delta</c>,
    /// <c>response.function_call_arguments.done</c>, <c>response.output_item.done</c>): a client that only wants text must skip it.
    /// </summary>
    /// <param name="name">The function's name.</param>
    /// <param name="arguments">The arguments, as JSON text (sent as one string).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="arguments"/> is <see langword="null"/>.</exception>
    public ResponsesScript FunctionCall(string name, string arguments = "{}")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(arguments);
        _core.Add((script, state) =>
        {
            EnsureStarted(script, state);
            Close(script, state, "completed");
            int index = state.Output.Count;
            string id = "fc_test_" + JsonText.Number(index);
            string Item(string status, string args) =>
                "{\"id\":" + JsonText.Quote(id) + ",\"type\":\"function_call\",\"status\":" + JsonText.Quote(status) + ",\"arguments\":" + JsonText.Quote(args)
                + ",\"call_id\":\"call_test_" + JsonText.Number(index) + "\",\"name\":" + JsonText.Quote(name) + "}";
            Write(script, state, "response.output_item.added", ",\"output_index\":" + JsonText.Number(index) + ",\"item\":" + Item("in_progress", string.Empty));
            string reference = ",\"item_id\":" + JsonText.Quote(id) + ",\"output_index\":" + JsonText.Number(index);
            Write(script, state, "response.function_call_arguments.delta", reference + ",\"delta\":" + JsonText.Quote(arguments));
            Write(script, state, "response.function_call_arguments.done", reference + ",\"arguments\":" + JsonText.Quote(arguments));
            string done = Item("completed", arguments);
            Write(script, state, "response.output_item.done", ",\"output_index\":" + JsonText.Number(index) + ",\"item\":" + done);
            state.Output.Add(done);
        });
        return this;
    }

    /// <summary>
    /// Closes the open item and adds <c>response.completed</c>: the response with <c>status: completed</c>, its output and
    /// its usage. The normal end of a response.
    /// </summary>
    /// <param name="inputTokens"><c>input_tokens</c> (cached ones included).</param>
    /// <param name="outputTokens"><c>output_tokens</c> (reasoning included); <see langword="null"/> counts one per delta sent.</param>
    /// <param name="cachedTokens"><c>input_tokens_details.cached_tokens</c>.</param>
    /// <param name="reasoningTokens"><c>output_tokens_details.reasoning_tokens</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public ResponsesScript Completed(int inputTokens = 12, int? outputTokens = null, int cachedTokens = 0, int reasoningTokens = 0)
    {
        string? usage = CheckUsage(inputTokens, outputTokens, cachedTokens, reasoningTokens);
        _core.Add((script, state) => Terminal(script, state, "response.completed", "completed", "completed", error: null, incomplete: null, usage ?? Usage(inputTokens, state.Deltas, cachedTokens, reasoningTokens)));
        return this;
    }

    /// <summary>
    /// Closes the open item (<c>status: incomplete</c>) and adds <c>response.incomplete</c>: the response with
    /// <c>status: incomplete</c> and <c>incomplete_details.reason</c>, as a response cut by <c>max_output_tokens</c> or a
    /// content filter ends.
    /// </summary>
    /// <param name="reason"><c>max_output_tokens</c> or <c>content_filter</c>.</param>
    /// <param name="inputTokens"><c>input_tokens</c>.</param>
    /// <param name="outputTokens"><c>output_tokens</c>; <see langword="null"/> counts one per delta sent.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public ResponsesScript Incomplete(string reason = "max_output_tokens", int inputTokens = 12, int? outputTokens = null)
    {
        ArgumentNullException.ThrowIfNull(reason);
        string? usage = CheckUsage(inputTokens, outputTokens, 0, 0);
        _core.Add((script, state) => Terminal(script, state, "response.incomplete", "incomplete", "incomplete", error: null,
            incomplete: "{\"reason\":" + JsonText.Quote(reason) + "}", usage ?? Usage(inputTokens, state.Deltas, 0, 0)));
        return this;
    }

    /// <summary>
    /// Adds <c>response.failed</c>: the response with <c>status: failed</c> and <c>error: {"code","message"}</c>, as a
    /// response that fails after the HTTP 200 ends (usually after an <see cref="ErrorEvent"/>).
    /// </summary>
    /// <param name="code">The error code, for example <c>server_error</c> or <c>rate_limit_exceeded</c>.</param>
    /// <param name="message">The message.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public ResponsesScript Failed(string code = "server_error", string message = ServerErrorMessage)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        _core.Add((script, state) => Terminal(script, state, "response.failed", "failed", "incomplete",
            error: "{\"code\":" + JsonText.Quote(code) + ",\"message\":" + JsonText.Quote(message) + "}", incomplete: null, usage: "null"));
        return this;
    }

    /// <summary>
    /// Adds an <c>error</c> event as OpenAI sends one after the HTTP 200:
    /// <c>{"type":"error","sequence_number":N,"error":{"type","code","message","param":null}}</c>.
    /// </summary>
    /// <param name="code">The error code.</param>
    /// <param name="message">The message.</param>
    /// <param name="type">The error type.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/>, <paramref name="message"/> or <paramref name="type"/> is <see langword="null"/>.</exception>
    public ResponsesScript ErrorEvent(string code = "server_error", string message = ServerErrorMessage, string type = "server_error")
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(type);
        _core.Add((script, state) => Write(script, state, "error",
            ",\"error\":{\"type\":" + JsonText.Quote(type) + ",\"code\":" + JsonText.Quote(code) + ",\"message\":" + JsonText.Quote(message) + ",\"param\":null}"));
        return this;
    }

    /// <summary>Adds <c>data: [DONE]</c>, which some Responses-compatible servers (OpenRouter) send after the terminal event.</summary>
    /// <returns>This builder.</returns>
    public ResponsesScript Done()
    {
        _core.Add((script, _) => script.Done());
        return this;
    }

    /// <inheritdoc cref="SseScript.Event(string, string)"/>
    public ResponsesScript Event(string eventName, string data)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(data);
        _core.Add((script, _) => script.Event(eventName, data));
        return this;
    }

    /// <inheritdoc cref="SseScript.Raw(string)"/>
    public ResponsesScript Raw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _core.Add((script, _) => script.Raw(text));
        return this;
    }

    /// <inheritdoc cref="SseScript.KeepAlive(string)"/>
    public ResponsesScript KeepAlive(string comment = "ping")
    {
        ArgumentNullException.ThrowIfNull(comment);
        _core.Add((script, _) => script.KeepAlive(comment));
        return this;
    }

    /// <inheritdoc cref="SseScript.WithLineEnding(SseLineEnding)"/>
    public ResponsesScript WithLineEnding(SseLineEnding lineEnding)
    {
        if (!Enum.IsDefined(lineEnding))
        {
            throw new ArgumentOutOfRangeException(nameof(lineEnding), lineEnding, "Unknown line ending.");
        }

        _core.Add((script, _) => script.WithLineEnding(lineEnding));
        return this;
    }

    /// <inheritdoc cref="SseScript.Pace(TimeSpan)"/>
    public ResponsesScript Pace(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _core.Add((script, _) => script.Pace(interval));
        return this;
    }

    /// <inheritdoc cref="SseScript.Delay(TimeSpan)"/>
    public ResponsesScript Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _core.Add((script, _) => script.Delay(delay));
        return this;
    }

    /// <inheritdoc cref="SseScript.Trickle(bool)"/>
    public ResponsesScript Trickle(bool enabled = true)
    {
        _core.Add((script, _) => script.Trickle(enabled));
        return this;
    }

    /// <inheritdoc cref="SseScript.WaitFor(Task)"/>
    public ResponsesScript WaitFor(Task signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _core.Add((script, _) => script.WaitFor(signal));
        return this;
    }

    /// <inheritdoc cref="SseScript.WaitUntil(Func{bool})"/>
    public ResponsesScript WaitUntil(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        _core.Add((script, _) => script.WaitUntil(condition));
        return this;
    }

    /// <inheritdoc cref="SseScript.Cut"/>
    public ResponsesScript Cut()
    {
        _core.End(nameof(Cut), (script, _) => script.Cut());
        return this;
    }

    /// <inheritdoc cref="SseScript.CutWhen(Func{bool})"/>
    public ResponsesScript CutWhen(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        _core.End(nameof(CutWhen), (script, _) => script.CutWhen(condition));
        return this;
    }

    /// <inheritdoc cref="SseScript.Stall"/>
    public ResponsesScript Stall()
    {
        _core.End(nameof(Stall), (script, _) => script.Stall());
        return this;
    }

    /// <inheritdoc cref="SseScript.Then(Func{HttpContext, Task})"/>
    public ResponsesScript Then(Func<HttpContext, Task> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _core.End(nameof(Then), (sse, _) => sse.Then(script));
        return this;
    }

    /// <summary>Builds the script: a snapshot of the builder as it is now.</summary>
    /// <returns>A script that writes this response for every request it answers.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Created"/> was called after content, or twice.</exception>
    public Func<HttpContext, Task> Build() => _core.Build(new State(_id, _model));

    private static string[] Copy(string[] pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        string[] copy = [.. pieces];
        foreach (string piece in copy)
        {
            ArgumentNullException.ThrowIfNull(piece, nameof(pieces));
        }

        return copy;
    }

    private static string? CheckUsage(int inputTokens, int? outputTokens, int cachedTokens, int reasoningTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cachedTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(reasoningTokens);
        if (outputTokens is int output)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(output);
            return Usage(inputTokens, output, cachedTokens, reasoningTokens);
        }

        return null;
    }

    private static string Usage(int input, int output, int cached, int reasoning) =>
        "{\"input_tokens\":" + JsonText.Number(input) + ",\"input_tokens_details\":{\"cached_tokens\":" + JsonText.Number(cached)
        + "},\"output_tokens\":" + JsonText.Number(output) + ",\"output_tokens_details\":{\"reasoning_tokens\":" + JsonText.Number(reasoning)
        + "},\"total_tokens\":" + JsonText.Number(input + output) + "}";

    private ResponsesScript Deltas(Item kind, string eventType, string[] pieces, string suffix)
    {
        string[] copy = Copy(pieces);
        _core.Add((script, state) =>
        {
            Open(script, state, kind);
            foreach (string piece in copy)
            {
                state.Part!.Append(piece);
                state.Deltas++;
                Write(script, state, eventType, ItemRef(state) + ",\"content_index\":0,\"delta\":" + JsonText.Quote(piece) + suffix);
            }
        });
        return this;
    }

    /// <summary>Writes <c>event: TYPE</c> and <c>data: {"type":TYPE,"sequence_number":N + FIELDS}</c>.</summary>
    private static void Write(SseScript script, State state, string type, string fields) =>
        script.Event(type, "{\"type\":" + JsonText.Quote(type) + ",\"sequence_number\":" + JsonText.Number(state.Sequence++) + fields + "}");

    private static string ItemRef(State state) => ",\"item_id\":" + JsonText.Quote(state.ItemId) + ",\"output_index\":" + JsonText.Number(state.Output.Count);

    private static void EnsureStarted(SseScript script, State state)
    {
        if (!state.Started)
        {
            Start(script, state, queued: false);
        }
    }

    private static void Start(SseScript script, State state, bool queued)
    {
        state.Started = true;
        Write(script, state, "response.created", ",\"response\":" + Response(state, queued ? "queued" : "in_progress", "null", "null", "null"));
        if (queued)
        {
            Write(script, state, "response.queued", ",\"response\":" + Response(state, "queued", "null", "null", "null"));
        }

        Write(script, state, "response.in_progress", ",\"response\":" + Response(state, "in_progress", "null", "null", "null"));
    }

    private static string Response(State state, string status, string error, string incomplete, string usage) =>
        "{\"id\":" + JsonText.Quote(state.Id) + ",\"object\":\"response\",\"created_at\":1700000000,\"status\":" + JsonText.Quote(status)
        + ",\"background\":false,\"error\":" + error + ",\"incomplete_details\":" + incomplete + ",\"instructions\":null,\"max_output_tokens\":null,\"model\":"
        + JsonText.Quote(state.Model) + ",\"output\":[" + string.Join(',', state.Output) + "],\"parallel_tool_calls\":true,\"previous_response_id\":null,"
        + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":false,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\","
        + "\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" + usage + ",\"metadata\":{}}";

    private static void Open(SseScript script, State state, Item kind)
    {
        EnsureStarted(script, state);
        if (state.Open == kind)
        {
            return;
        }

        Close(script, state, "completed");
        state.Open = kind;
        int index = state.Output.Count;
        switch (kind)
        {
            case Item.Message or Item.Refusal:
                state.ItemId = "msg_test_" + JsonText.Number(index);
                Write(script, state, "response.output_item.added", ",\"output_index\":" + JsonText.Number(index) + ",\"item\":{\"id\":" + JsonText.Quote(state.ItemId)
                    + ",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}");
                state.Part = new StringBuilder();
                Write(script, state, "response.content_part.added", ItemRef(state) + ",\"content_index\":0,\"part\":" + Part(kind, string.Empty));
                break;
            case Item.ReasoningText:
                state.ItemId = "rs_test_" + JsonText.Number(index);
                Write(script, state, "response.output_item.added", ",\"output_index\":" + JsonText.Number(index) + ",\"item\":{\"id\":" + JsonText.Quote(state.ItemId)
                    + ",\"type\":\"reasoning\",\"summary\":[],\"content\":[]}");
                state.Part = new StringBuilder();
                Write(script, state, "response.content_part.added", ItemRef(state) + ",\"content_index\":0,\"part\":" + Part(kind, string.Empty));
                break;
            default:
                state.ItemId = "rs_test_" + JsonText.Number(index);
                Write(script, state, "response.output_item.added", ",\"output_index\":" + JsonText.Number(index) + ",\"item\":{\"id\":" + JsonText.Quote(state.ItemId)
                    + ",\"type\":\"reasoning\",\"summary\":[]}");
                state.Part = null;
                break;
        }
    }

    private static string Part(Item kind, string text) => kind switch
    {
        Item.Refusal => "{\"type\":\"refusal\",\"refusal\":" + JsonText.Quote(text) + "}",
        Item.ReasoningText => "{\"type\":\"reasoning_text\",\"text\":" + JsonText.Quote(text) + "}",
        _ => "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" + JsonText.Quote(text) + "}",
    };

    private static void CloseSummaryPart(SseScript script, State state)
    {
        string text = state.Part!.ToString();
        string summary = ItemRef(state) + ",\"summary_index\":" + JsonText.Number(state.Parts.Count);
        Write(script, state, "response.reasoning_summary_text.done", summary + ",\"text\":" + JsonText.Quote(text));
        Write(script, state, "response.reasoning_summary_part.done", summary + ",\"part\":{\"type\":\"summary_text\",\"text\":" + JsonText.Quote(text) + "}");
        state.Parts.Add("{\"type\":\"summary_text\",\"text\":" + JsonText.Quote(text) + "}");
        state.Part = null;
    }

    /// <summary>Closes the open item with its done events; <paramref name="status"/> is the message item's final status.</summary>
    private static void Close(SseScript script, State state, string status)
    {
        Item kind = state.Open;
        if (kind == Item.None)
        {
            return;
        }

        int index = state.Output.Count;
        string item;
        if (kind == Item.Summary)
        {
            if (state.Part is not null)
            {
                CloseSummaryPart(script, state);
            }

            item = "{\"id\":" + JsonText.Quote(state.ItemId) + ",\"type\":\"reasoning\",\"summary\":[" + string.Join(',', state.Parts) + "]}";
            state.Parts.Clear();
        }
        else
        {
            string text = state.Part!.ToString();
            string part = Part(kind, text);
            string reference = ItemRef(state) + ",\"content_index\":0";
            Write(script, state, kind switch
            {
                Item.Refusal => "response.refusal.done",
                Item.ReasoningText => "response.reasoning_text.done",
                _ => "response.output_text.done",
            }, reference + (kind == Item.Refusal ? ",\"refusal\":" : ",\"text\":") + JsonText.Quote(text) + (kind == Item.Message ? ",\"logprobs\":[]" : string.Empty));
            Write(script, state, "response.content_part.done", reference + ",\"part\":" + part);
            item = kind == Item.ReasoningText
                ? "{\"id\":" + JsonText.Quote(state.ItemId) + ",\"type\":\"reasoning\",\"summary\":[],\"content\":[" + part + "]}"
                : "{\"id\":" + JsonText.Quote(state.ItemId) + ",\"type\":\"message\",\"status\":" + JsonText.Quote(status) + ",\"content\":[" + part + "],\"role\":\"assistant\"}";
            state.Part = null;
        }

        Write(script, state, "response.output_item.done", ",\"output_index\":" + JsonText.Number(index) + ",\"item\":" + item);
        state.Output.Add(item);
        state.Open = Item.None;
    }

    private static void Terminal(SseScript script, State state, string type, string status, string itemStatus, string? error, string? incomplete, string usage)
    {
        EnsureStarted(script, state);
        Close(script, state, itemStatus);
        Write(script, state, type, ",\"response\":" + Response(state, status, error ?? "null", incomplete ?? "null", usage));
    }

    /// <summary>What the steps of one build share.</summary>
    private sealed class State(string id, string model)
    {
        public string Id { get; } = id;

        public string Model { get; } = model;

        public bool Started { get; set; }

        public int Sequence { get; set; }

        public Item Open { get; set; }

        public string ItemId { get; set; } = string.Empty;

        public StringBuilder? Part { get; set; }

        public List<string> Parts { get; } = [];

        public List<string> Output { get; } = [];

        public int Deltas { get; set; }
    }
}
