using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A fluent builder for one streamed response: status and headers, then events, pacing, waits and faults in the order
/// they are added. Converts implicitly to a script (<c>Func&lt;HttpContext, Task&gt;</c>), so it can be passed
/// straight to <see cref="OpenAITestServer.StartAsync(Func{HttpContext, Task}[])"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each added event is written and flushed on its own, so the client can receive it as a separate read. Settings that
/// shape events (<see cref="WithLineEnding"/>, <see cref="Pace"/>, <see cref="Trickle"/>) apply to the events added
/// after them; <see cref="WithStatus"/>, <see cref="WithContentType"/>, <see cref="WithHeader(string, string)"/>,
/// <see cref="WithId"/> and <see cref="WithModel"/> apply to the whole response wherever they are called.
/// </para>
/// <para>
/// A script is built when it is converted (or <see cref="Build"/> is called): changes to the builder afterwards do not
/// affect scripts already built. One built script can answer any number of requests.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var script = new SseScript()
///     .Role()
///     .Content("Here is the code:\n")
///     .CodeBlock("csharp", "int Add(int a, int b) =&gt; a + b;", fileName: "Add.cs")
///     .Finish()
///     .Usage(12, 20)
///     .Done();
/// await using var server = await OpenAITestServer.StartAsync(script);
/// </code>
/// </example>
public sealed partial class SseScript
{
    private const string EventStream = "text/event-stream";

    private readonly List<Func<ScriptRun, Task>> _steps = [];
    private readonly List<KeyValuePair<string, Func<ScriptRun, string>>> _headers = [];
    private int _status = StatusCodes.Status200OK;
    private string? _contentType = EventStream;
    private string _id = SseEvents.Id;
    private string _model = SseEvents.Model;
    private string? _ending;

    /// <summary>
    /// Creates the standard answer: a role chunk, one content chunk per item of <paramref name="contents"/>, a
    /// <c>stop</c> finish chunk, a usage chunk (12 prompt tokens, one completion token per piece) and <c>[DONE]</c>.
    /// </summary>
    /// <param name="contents">The content pieces.</param>
    /// <returns>A builder holding the answer, to which more can be added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contents"/> is <see langword="null"/>.</exception>
    public static SseScript Answer(params string[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return new SseScript().Role().Content(contents).Finish().Usage(12, contents.Length).Done();
    }

    /// <summary>Converts a builder to a script.</summary>
    /// <param name="script">The builder.</param>
    /// <returns>The script, as <see cref="Build"/> returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is <see langword="null"/>.</exception>
    public static implicit operator Func<HttpContext, Task>(SseScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return script.Build();
    }

    /// <summary>Sets the response's HTTP status.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is 200.</value>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not between 100 and 599.</exception>
    public SseScript WithStatus(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        _status = statusCode;
        return this;
    }

    /// <summary>
    /// Sets the response's <c>Content-Type</c>; <see langword="null"/> sends none. A <c>text/event-stream</c> response also
    /// gets <c>Cache-Control: no-cache</c> unless a header sets it.
    /// </summary>
    /// <param name="contentType">The content type, for example <c>text/html</c> for a captive portal's answer.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <c>text/event-stream</c>.</value>
    public SseScript WithContentType(string? contentType)
    {
        _contentType = contentType;
        return this;
    }

    /// <summary>Adds a response header (added again, the header is sent once per value).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public SseScript WithHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WithHeader(name, _ => value);
    }

    /// <summary>Adds a response header whose value is computed from the request, for example to echo one of its headers.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">Computes the value from the recorded request.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public SseScript WithHeader(string name, Func<RecordedRequest, string> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _headers.Add(new(name, run => value(run.Request)));
        return this;
    }

    /// <summary>Sets the <c>id</c> every chunk of this response carries.</summary>
    /// <param name="id">The id.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="SseEvents.Id"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public SseScript WithId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _id = id;
        return this;
    }

    /// <summary>Sets the <c>model</c> every chunk of this response carries.</summary>
    /// <param name="model">The model name.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="SseEvents.Model"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public SseScript WithModel(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        return this;
    }

    /// <summary>Sets the line ending of the events added after this call.</summary>
    /// <param name="lineEnding">The line ending.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="SseLineEnding.Lf"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineEnding"/> is not a defined value.</exception>
    public SseScript WithLineEnding(SseLineEnding lineEnding)
    {
        if (!Enum.IsDefined(lineEnding))
        {
            throw new ArgumentOutOfRangeException(nameof(lineEnding), lineEnding, "Unknown line ending.");
        }

        return Step(run =>
        {
            run.LineEnding = lineEnding;
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Waits <paramref name="interval"/> before each event added after this call (not before the response's first
    /// event), on the server's clock (<see cref="OpenAITestServerOptions.TimeProvider"/>), so a fake clock drives it.
    /// </summary>
    /// <param name="interval">The wait between events; <see cref="TimeSpan.Zero"/> turns pacing off.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public SseScript Pace(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        return Step(run =>
        {
            run.Pace = interval;
            return Task.CompletedTask;
        });
    }

    /// <summary>Waits once, on the server's clock (<see cref="OpenAITestServerOptions.TimeProvider"/>).</summary>
    /// <param name="delay">How long.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public SseScript Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Step(run => run.DelayAsync(delay));
    }

    /// <summary>
    /// Writes the bytes of the events added after this call one byte per write, each flushed: multi-byte UTF-8
    /// characters and line endings (<c>\r</c> then <c>\n</c>) arrive split across reads.
    /// </summary>
    /// <param name="enabled">Whether to trickle.</param>
    /// <returns>This builder.</returns>
    public SseScript Trickle(bool enabled = true) => Step(run =>
    {
        run.Trickle = enabled;
        return Task.CompletedTask;
    });

    /// <summary>
    /// Sends nothing more until <paramref name="signal"/> completes: lets a test release the rest of a stream exactly when
    /// it is ready, without sleeping. Gives up with <see cref="TimeoutException"/> after
    /// <see cref="OpenAITestServerOptions.WaitTimeout"/>; stops if the client goes away.
    /// </summary>
    /// <param name="signal">The task to wait for, for example a <see cref="TaskCompletionSource"/>'s.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signal"/> is <see langword="null"/>.</exception>
    public SseScript WaitFor(Task signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return Step(run => ConditionWait.ForAsync(signal, run.WaitTimeout, "the signal given to SseScript.WaitFor", run.Aborted));
    }

    /// <summary>
    /// Sends nothing more until <paramref name="condition"/> holds, checking it every millisecond, for example until the
    /// client has received some text. Gives up with <see cref="TimeoutException"/> after
    /// <see cref="OpenAITestServerOptions.WaitTimeout"/>; stops if the client goes away.
    /// </summary>
    /// <param name="condition">The condition; called on a server thread.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public SseScript WaitUntil(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Step(run => ConditionWait.UntilAsync(condition, run.WaitTimeout, "the condition given to SseScript.WaitUntil held", run.Aborted));
    }

    /// <summary>
    /// Ends the response by aborting the connection: no terminating chunk, so the client sees a broken stream. Bytes
    /// the client has not read yet may be lost with the connection; to assert on text before a cut, cut with
    /// <see cref="CutWhen"/> once the client has it, or <see cref="WaitFor"/> a signal first.
    /// </summary>
    /// <returns>This builder, which takes no more steps.</returns>
    public SseScript Cut() => End(nameof(Cut), run =>
    {
        run.Context.Abort();
        return Task.CompletedTask;
    });

    /// <summary>Ends the response by aborting the connection once <paramref name="condition"/> holds (see <see cref="WaitUntil"/>).</summary>
    /// <param name="condition">The condition; called on a server thread.</param>
    /// <returns>This builder, which takes no more steps.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public SseScript CutWhen(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return End(nameof(CutWhen), async run =>
        {
            await ConditionWait.UntilAsync(condition, run.WaitTimeout, "the condition given to CutWhen held", run.Aborted).ConfigureAwait(false);
            run.Context.Abort();
        });
    }

    /// <summary>
    /// Ends the script by sending nothing more, with the connection open, until the client goes away (or the server is
    /// disposed): the stall a client's idle timeout must catch. <see cref="OpenAITestServer.ClientDisconnected"/> then completes.
    /// </summary>
    /// <returns>This builder, which takes no more steps.</returns>
    public SseScript Stall() => End(nameof(Stall), run => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, run.Aborted));

    /// <summary>Ends the script by handing the context to your own code (which may write more, cut or stall).</summary>
    /// <param name="script">The code to run last.</param>
    /// <returns>This builder, which takes no more steps.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is <see langword="null"/>.</exception>
    public SseScript Then(Func<HttpContext, Task> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return End(nameof(Then), run => script(run.Context));
    }

    /// <summary>Builds the script: a snapshot of the builder as it is now.</summary>
    /// <returns>A script that writes this response for every request it answers.</returns>
    public Func<HttpContext, Task> Build()
    {
        Func<ScriptRun, Task>[] steps = [.. _steps];
        KeyValuePair<string, Func<ScriptRun, string>>[] headers = [.. _headers];
        int status = _status;
        string? contentType = _contentType;
        var json = new ChunkJson(_id, _model);
        return context => RunAsync(context, status, contentType, headers, json, steps);
    }

    private static async Task RunAsync(
        HttpContext context,
        int status,
        string? contentType,
        KeyValuePair<string, Func<ScriptRun, string>>[] headers,
        ChunkJson json,
        Func<ScriptRun, Task>[] steps)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = new ScriptRun(context, json);
        HttpResponse response = context.Response;
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
            if (contentType.StartsWith(EventStream, StringComparison.OrdinalIgnoreCase)
                && !Array.Exists(headers, h => string.Equals(h.Key, "Cache-Control", StringComparison.OrdinalIgnoreCase)))
            {
                response.Headers.CacheControl = "no-cache";
            }
        }

        foreach (KeyValuePair<string, Func<ScriptRun, string>> header in headers)
        {
            response.Headers.Append(header.Key, header.Value(run));
        }

        await response.StartAsync(run.Aborted).ConfigureAwait(false);
        foreach (Func<ScriptRun, Task> step in steps)
        {
            await step(run).ConfigureAwait(false);
        }
    }

    private SseScript Step(Func<ScriptRun, Task> step)
    {
        if (_ending is not null)
        {
            throw new InvalidOperationException($"The script already ends with {_ending}(); add steps before it.");
        }

        _steps.Add(step);
        return this;
    }

    private SseScript End(string name, Func<ScriptRun, Task> step)
    {
        Step(step);
        _ending = name;
        return this;
    }
}
