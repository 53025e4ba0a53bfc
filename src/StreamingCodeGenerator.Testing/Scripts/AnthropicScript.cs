using System.Text;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A fluent builder for one streamed response of Anthropic's Messages API (<c>POST /v1/messages</c>): every event is
/// <c>event: TYPE</c> and <c>data: {"type":"TYPE",…}</c> as Anthropic sends it, written and flushed on its own.
/// Converts implicitly to a script, like <see cref="SseScript"/>, whose pacing, waits and faults it shares.
/// </summary>
/// <remarks>
/// <para>
/// The builder keeps the message's shape for you: the first content step starts the message (<c>message_start</c>)
/// when <see cref="MessageStart"/> was not called, each of <see cref="Text"/>, <see cref="Thinking"/> and
/// <see cref="ToolUse"/> opens a content block of its kind when the open one is of another kind (closing that one with
/// <c>content_block_stop</c>, and a thinking block with its <c>signature_delta</c> first), and <see cref="Stop"/> closes
/// the open block and sends <c>message_delta</c> and <c>message_stop</c>. Leave <see cref="Stop"/> out (or send only
/// <see cref="MessageDelta"/>) for a stream that ends without its end marker.
/// </para>
/// <para>
/// The events are built when the script is (<see cref="Build"/> or the conversion): changes to the builder afterwards do
/// not affect scripts already built. Message id and model are <see cref="DefaultId"/> and <see cref="DefaultModel"/>
/// unless <see cref="WithId"/> and <see cref="WithModel"/> say otherwise.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var server = await OpenAITestServer.StartAsync(
///     new AnthropicScript()
///         .Thinking("The user wants a sort.")
///         .Text("Here it is:\n")
///         .CodeBlock("python", "xs.sort()")
///         .Stop(outputTokens: 42));
/// // POST {server.Endpoint}messages answers with the stream.
/// </code>
/// </example>
public sealed class AnthropicScript
{
    /// <summary>The message id of every message unless <see cref="WithId"/> sets another.</summary>
    public const string DefaultId = "msg_test";

    /// <summary>The model every message names unless <see cref="WithModel"/> sets another.</summary>
    public const string DefaultModel = "claude-sonnet-4-5";

    /// <summary>The <c>signature_delta</c> a thinking block ends with.</summary>
    public const string DefaultSignature = "EqQBCgIYAhIMtestsignature";

    /// <summary>The message Anthropic sends with <c>overloaded_error</c>.</summary>
    public const string OverloadedMessage = "Overloaded";

    private readonly ProviderScriptCore<State> _core = new();
    private string _id = DefaultId;
    private string _model = DefaultModel;

    private enum Block
    {
        None,
        Text,
        Thinking,
        ToolUse,
    }

    /// <summary>
    /// Creates the standard answer: <c>message_start</c> (12 input tokens), a text block with one <c>text_delta</c> per
    /// item of <paramref name="texts"/>, <c>message_delta</c> with <c>end_turn</c> (one output token per piece) and
    /// <c>message_stop</c>.
    /// </summary>
    /// <param name="texts">The text pieces.</param>
    /// <returns>A builder holding the answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is <see langword="null"/>.</exception>
    public static AnthropicScript Answer(params string[] texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new AnthropicScript().MessageStart().Text(texts).Stop();
    }

    /// <summary>Converts a builder to a script.</summary>
    /// <param name="script">The builder.</param>
    /// <returns>The script, as <see cref="Build"/> returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is <see langword="null"/>.</exception>
    public static implicit operator Func<HttpContext, Task>(AnthropicScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return script.Build();
    }

    /// <inheritdoc cref="SseScript.WithStatus(int)"/>
    public AnthropicScript WithStatus(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        _core.Status = statusCode;
        return this;
    }

    /// <inheritdoc cref="SseScript.WithHeader(string, string)"/>
    public AnthropicScript WithHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WithHeader(name, _ => value);
    }

    /// <inheritdoc cref="SseScript.WithHeader(string, Func{RecordedRequest, string})"/>
    public AnthropicScript WithHeader(string name, Func<RecordedRequest, string> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _core.AddHeader(name, value);
        return this;
    }

    /// <summary>Sets the message id <c>message_start</c> carries.</summary>
    /// <param name="id">The id.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="DefaultId"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public AnthropicScript WithId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _id = id;
        return this;
    }

    /// <summary>Sets the model <c>message_start</c> names.</summary>
    /// <param name="model">The model.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="DefaultModel"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public AnthropicScript WithModel(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        return this;
    }

    /// <summary>
    /// Adds <c>message_start</c> with the given usage:
    /// <c>{"type":"message_start","message":{"id","type":"message","role":"assistant","model","content":[],"stop_reason":null,"stop_sequence":null,"usage":{…}}}</c>.
    /// </summary>
    /// <param name="inputTokens"><c>input_tokens</c> (Anthropic's count leaves cached tokens out).</param>
    /// <param name="cacheReadTokens"><c>cache_read_input_tokens</c>.</param>
    /// <param name="cacheCreationTokens"><c>cache_creation_input_tokens</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    /// <exception cref="InvalidOperationException">The message already started.</exception>
    public AnthropicScript MessageStart(int inputTokens = 12, int cacheReadTokens = 0, int cacheCreationTokens = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheReadTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCreationTokens);
        _core.Add((script, state) =>
        {
            if (state.Started)
            {
                throw new InvalidOperationException("AnthropicScript: the message already started; call MessageStart once, before any content.");
            }

            Start(script, state, inputTokens, cacheReadTokens, cacheCreationTokens);
        });
        return this;
    }

    /// <summary>Adds one <c>text_delta</c> per piece, in a text block (opened when the open block is not one).</summary>
    /// <param name="pieces">The pieces, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public AnthropicScript Text(params string[] pieces)
    {
        string[] copy = Copy(pieces);
        _core.Add((script, state) =>
        {
            Open(script, state, Block.Text, "{\"type\":\"text\",\"text\":\"\"}");
            foreach (string piece in copy)
            {
                state.Deltas++;
                script.Event("content_block_delta", Delta(state, "{\"type\":\"text_delta\",\"text\":" + JsonText.Quote(piece) + "}"));
            }
        });
        return this;
    }

    /// <summary>Adds <paramref name="text"/> as <c>text_delta</c>s of <paramref name="pieceLength"/> characters (a surrogate pair is never split).</summary>
    /// <param name="text">The text.</param>
    /// <param name="pieceLength">The characters per delta.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pieceLength"/> is not positive.</exception>
    public AnthropicScript TextInPieces(string text, int pieceLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        return Text(SseScript.Split(text, pieceLength));
    }

    /// <summary>Adds a fenced code block as <c>text_delta</c>s, exactly as <see cref="SseScript.CodeBlock"/> builds it.</summary>
    /// <param name="language">The language named by the fence, for example <c>csharp</c>; may be empty.</param>
    /// <param name="code">The code.</param>
    /// <param name="fileName">The file name to put in the fence's info string, or <see langword="null"/>.</param>
    /// <param name="pieceLength">The characters per delta.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="language"/> or <paramref name="code"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pieceLength"/> is not positive.</exception>
    public AnthropicScript CodeBlock(string language, string code, string? fileName = null, int pieceLength = 16)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        return Text(SseScript.Split(SseScript.Fence(language, code, fileName), pieceLength));
    }

    /// <summary>
    /// Adds one <c>thinking_delta</c> per piece, in a thinking block (opened when the open block is not one); the block
    /// ends with a <c>signature_delta</c> (<see cref="DefaultSignature"/>) when the next block opens or the message stops.
    /// </summary>
    /// <param name="pieces">The thinking, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public AnthropicScript Thinking(params string[] pieces)
    {
        string[] copy = Copy(pieces);
        _core.Add((script, state) =>
        {
            Open(script, state, Block.Thinking, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
            foreach (string piece in copy)
            {
                state.Deltas++;
                script.Event("content_block_delta", Delta(state, "{\"type\":\"thinking_delta\",\"thinking\":" + JsonText.Quote(piece) + "}"));
            }
        });
        return this;
    }

    /// <summary>
    /// Adds a <c>tool_use</c> block asking for a tool call, its input as one <c>input_json_delta</c>: a client that only
    /// wants text must skip it.
    /// </summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="inputJson">The input, as JSON text (sent as-is, in one piece).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="inputJson"/> is <see langword="null"/>.</exception>
    public AnthropicScript ToolUse(string name, string inputJson = "{}")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputJson);
        _core.Add((script, state) =>
        {
            state.Tools++;
            Open(script, state, Block.ToolUse,
                "{\"type\":\"tool_use\",\"id\":\"toolu_test_" + JsonText.Number(state.Tools) + "\",\"name\":" + JsonText.Quote(name) + ",\"input\":{}}",
                forceNew: true);
            script.Event("content_block_delta", Delta(state, "{\"type\":\"input_json_delta\",\"partial_json\":" + JsonText.Quote(inputJson) + "}"));
        });
        return this;
    }

    /// <summary>Adds a keep-alive as Anthropic sends it: <c>event: ping</c>, <c>data: {"type": "ping"}</c>.</summary>
    /// <returns>This builder.</returns>
    public AnthropicScript Ping()
    {
        _core.Add((script, _) => script.Event("ping", "{\"type\": \"ping\"}"));
        return this;
    }

    /// <summary>
    /// Closes the open block and adds <c>message_delta</c> with the stop reason and the usage, then
    /// <c>message_stop</c>: the normal end of a message.
    /// </summary>
    /// <param name="stopReason"><c>end_turn</c>, <c>max_tokens</c>, <c>stop_sequence</c>, <c>tool_use</c>, <c>pause_turn</c>, <c>refusal</c>…</param>
    /// <param name="outputTokens"><c>output_tokens</c>; <see langword="null"/> counts one per delta sent.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stopReason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputTokens"/> is negative.</exception>
    public AnthropicScript Stop(string stopReason = "end_turn", int? outputTokens = null) => MessageDelta(stopReason, outputTokens).MessageStop();

    /// <summary>
    /// Closes the open block and adds <c>message_delta</c>:
    /// <c>{"type":"message_delta","delta":{"stop_reason","stop_sequence":null},"usage":{"input_tokens",…,"output_tokens"}}</c>.
    /// Without <see cref="MessageStop"/> after it, the stream ends without its end marker.
    /// </summary>
    /// <param name="stopReason">The stop reason; <see langword="null"/> sends <c>null</c>.</param>
    /// <param name="outputTokens"><c>output_tokens</c>; <see langword="null"/> counts one per delta sent.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputTokens"/> is negative.</exception>
    public AnthropicScript MessageDelta(string? stopReason = "end_turn", int? outputTokens = null)
    {
        if (outputTokens is int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
        }

        _core.Add((script, state) =>
        {
            EnsureStarted(script, state);
            Close(script, state);
            script.Event("message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + JsonText.Quote(stopReason) + ",\"stop_sequence\":null},\"usage\":"
                + Usage(state, outputTokens ?? state.Deltas) + "}");
        });
        return this;
    }

    /// <summary>Adds <c>message_stop</c>, the end marker of a message.</summary>
    /// <returns>This builder.</returns>
    public AnthropicScript MessageStop()
    {
        _core.Add((script, _) => script.Event("message_stop", "{\"type\":\"message_stop\"}"));
        return this;
    }

    /// <summary>
    /// Ends the message as a refusal: closes the open block, then <c>message_delta</c> with <c>stop_reason: refusal</c>
    /// and <c>stop_details</c> (<c>type</c>, <c>category</c>, <c>explanation</c>), then <c>message_stop</c>.
    /// </summary>
    /// <param name="explanation">The explanation Anthropic gives.</param>
    /// <param name="category">The policy category.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="explanation"/> or <paramref name="category"/> is <see langword="null"/>.</exception>
    public AnthropicScript Refusal(string explanation = "This request was refused due to policy.", string category = "cyber")
    {
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentNullException.ThrowIfNull(category);
        _core.Add((script, state) =>
        {
            EnsureStarted(script, state);
            Close(script, state);
            script.Event("message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_sequence\":null,\"stop_details\":{\"type\":\"refusal\",\"category\":"
                + JsonText.Quote(category) + ",\"explanation\":" + JsonText.Quote(explanation) + "}},\"usage\":" + Usage(state, state.Deltas) + "}");
        });
        return MessageStop();
    }

    /// <summary>
    /// Adds an error event as Anthropic sends one after the HTTP 200 (the stream stops there):
    /// <c>event: error</c>, <c>data: {"type":"error","error":{"type":TYPE,"message":MESSAGE}}</c>.
    /// </summary>
    /// <param name="type"><c>overloaded_error</c>, <c>api_error</c>, <c>rate_limit_error</c>…</param>
    /// <param name="message">The message.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public AnthropicScript ErrorEvent(string type = "overloaded_error", string message = OverloadedMessage)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(message);
        _core.Add((script, _) => script.Event("error", Respond.AnthropicErrorJson(type, message, requestId: null)));
        return this;
    }

    /// <inheritdoc cref="SseScript.Event(string, string)"/>
    public AnthropicScript Event(string eventName, string data)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(data);
        _core.Add((script, _) => script.Event(eventName, data));
        return this;
    }

    /// <inheritdoc cref="SseScript.Raw(string)"/>
    public AnthropicScript Raw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _core.Add((script, _) => script.Raw(text));
        return this;
    }

    /// <inheritdoc cref="SseScript.WithLineEnding(SseLineEnding)"/>
    public AnthropicScript WithLineEnding(SseLineEnding lineEnding)
    {
        if (!Enum.IsDefined(lineEnding))
        {
            throw new ArgumentOutOfRangeException(nameof(lineEnding), lineEnding, "Unknown line ending.");
        }

        _core.Add((script, _) => script.WithLineEnding(lineEnding));
        return this;
    }

    /// <inheritdoc cref="SseScript.Pace(TimeSpan)"/>
    public AnthropicScript Pace(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _core.Add((script, _) => script.Pace(interval));
        return this;
    }

    /// <inheritdoc cref="SseScript.Delay(TimeSpan)"/>
    public AnthropicScript Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _core.Add((script, _) => script.Delay(delay));
        return this;
    }

    /// <inheritdoc cref="SseScript.Trickle(bool)"/>
    public AnthropicScript Trickle(bool enabled = true)
    {
        _core.Add((script, _) => script.Trickle(enabled));
        return this;
    }

    /// <inheritdoc cref="SseScript.WaitFor(Task)"/>
    public AnthropicScript WaitFor(Task signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _core.Add((script, _) => script.WaitFor(signal));
        return this;
    }

    /// <inheritdoc cref="SseScript.WaitUntil(Func{bool})"/>
    public AnthropicScript WaitUntil(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        _core.Add((script, _) => script.WaitUntil(condition));
        return this;
    }

    /// <inheritdoc cref="SseScript.Cut"/>
    public AnthropicScript Cut()
    {
        _core.End(nameof(Cut), (script, _) => script.Cut());
        return this;
    }

    /// <inheritdoc cref="SseScript.CutWhen(Func{bool})"/>
    public AnthropicScript CutWhen(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        _core.End(nameof(CutWhen), (script, _) => script.CutWhen(condition));
        return this;
    }

    /// <inheritdoc cref="SseScript.Stall"/>
    public AnthropicScript Stall()
    {
        _core.End(nameof(Stall), (script, _) => script.Stall());
        return this;
    }

    /// <inheritdoc cref="SseScript.Then(Func{HttpContext, Task})"/>
    public AnthropicScript Then(Func<HttpContext, Task> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _core.End(nameof(Then), (sse, _) => sse.Then(script));
        return this;
    }

    /// <summary>Builds the script: a snapshot of the builder as it is now.</summary>
    /// <returns>A script that writes this response for every request it answers.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MessageStart"/> was called after content, or twice.</exception>
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

    private static void EnsureStarted(SseScript script, State state)
    {
        if (!state.Started)
        {
            Start(script, state, inputTokens: 12, cacheReadTokens: 0, cacheCreationTokens: 0);
        }
    }

    private static void Start(SseScript script, State state, int inputTokens, int cacheReadTokens, int cacheCreationTokens)
    {
        state.Started = true;
        state.InputTokens = inputTokens;
        state.CacheReadTokens = cacheReadTokens;
        state.CacheCreationTokens = cacheCreationTokens;
        script.Event("message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":" + JsonText.Quote(state.Id) + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
            + JsonText.Quote(state.Model) + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + Usage(state, 1) + "}}");
    }

    private static void Open(SseScript script, State state, Block kind, string contentBlock, bool forceNew = false)
    {
        EnsureStarted(script, state);
        if (state.Open == kind && !forceNew)
        {
            return;
        }

        Close(script, state);
        state.Index++;
        state.Open = kind;
        script.Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + JsonText.Number(state.Index) + ",\"content_block\":" + contentBlock + "}");
    }

    private static void Close(SseScript script, State state)
    {
        if (state.Open == Block.None)
        {
            return;
        }

        if (state.Open == Block.Thinking)
        {
            script.Event("content_block_delta", Delta(state, "{\"type\":\"signature_delta\",\"signature\":" + JsonText.Quote(DefaultSignature) + "}"));
        }

        script.Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + JsonText.Number(state.Index) + "}");
        state.Open = Block.None;
    }

    private static string Delta(State state, string delta) =>
        "{\"type\":\"content_block_delta\",\"index\":" + JsonText.Number(state.Index) + ",\"delta\":" + delta + "}";

    private static string Usage(State state, int outputTokens) =>
        new StringBuilder("{\"input_tokens\":").Append(JsonText.Number(state.InputTokens))
            .Append(",\"cache_creation_input_tokens\":").Append(JsonText.Number(state.CacheCreationTokens))
            .Append(",\"cache_read_input_tokens\":").Append(JsonText.Number(state.CacheReadTokens))
            .Append(",\"output_tokens\":").Append(JsonText.Number(outputTokens)).Append('}').ToString();

    /// <summary>What the steps of one build share.</summary>
    private sealed class State(string id, string model)
    {
        public string Id { get; } = id;

        public string Model { get; } = model;

        public bool Started { get; set; }

        public int InputTokens { get; set; }

        public int CacheReadTokens { get; set; }

        public int CacheCreationTokens { get; set; }

        public int Index { get; set; } = -1;

        public Block Open { get; set; }

        public int Deltas { get; set; }

        public int Tools { get; set; }
    }
}
