using System.Text;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A recorded HTTP response, a streamed one above all: status, headers, and the body as the chunks that arrived with
/// the time between them. <see cref="SseRecordingProxy"/> records them; <see cref="Respond.Replay"/> plays them back.
/// </summary>
/// <remarks>
/// <para>
/// On disk a transcript is JSON Lines (UTF-8, one JSON object per line), so it reads and diffs line by line. The
/// first line describes the response; each next line is a chunk of the body; the last line says how it ended:
/// </para>
/// <code>
/// {"format":"sse-transcript/1","request":"POST /v1/chat/completions","status":200,"contentType":"text/event-stream","headers":{"x-request-id":"req_1"},"delayMs":412.5}
/// {"delayMs":0.8,"data":"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"}
/// {"delayMs":31.25,"base64":"8J+Y"}
/// {"delayMs":0.1,"end":"complete"}
/// </code>
/// <list type="bullet">
/// <item><description><c>format</c> (required, first line): <c>sse-transcript/1</c>.</description></item>
/// <item><description><c>request</c> (optional): what was asked, method and path only, for the reader.</description></item>
/// <item><description><c>status</c>, <c>contentType</c>, <c>headers</c>: the response's; <c>headers</c> has neither hop-by-hop headers nor <c>Content-Type</c>.</description></item>
/// <item><description><c>delayMs</c>: milliseconds (fractions allowed) since the previous line's moment; on the first line, from the request to the headers.</description></item>
/// <item><description><c>data</c>: the chunk's bytes as text when they are valid UTF-8; otherwise <c>base64</c> holds them.</description></item>
/// <item><description><c>end</c>: <c>complete</c>, or <c>cut</c> when the connection broke; without an end line the body is complete.</description></item>
/// </list>
/// <para>Unknown properties are ignored, so later versions can add some; blank lines are ignored.</para>
/// </remarks>
public sealed class SseTranscript
{
    /// <summary>The value of the <c>format</c> property this version reads and writes.</summary>
    public const string FormatName = "sse-transcript/1";

    private IReadOnlyList<TranscriptChunk> _chunks = [];
    private IReadOnlyDictionary<string, string> _headers = new Dictionary<string, string>();
    private int _statusCode = 200;

    /// <summary>Gets the HTTP status.</summary>
    /// <value>The default is 200.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 100 and 599.</exception>
    public int StatusCode
    {
        get => _statusCode;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 100);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 599);
            _statusCode = value;
        }
    }

    /// <summary>Gets the <c>Content-Type</c>, or <see langword="null"/> when there was none.</summary>
    /// <value>The default is <c>text/event-stream</c>.</value>
    public string? ContentType { get; init; } = "text/event-stream";

    /// <summary>Gets the other response headers worth replaying (request ids, rate-limit headers…).</summary>
    /// <value>The default is none.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public IReadOnlyDictionary<string, string> Headers
    {
        get => _headers;
        init => _headers = new Dictionary<string, string>(value ?? throw new ArgumentNullException(nameof(value)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the time from the request to the response headers.</summary>
    /// <value>The default is zero.</value>
    public TimeSpan HeadersDelay { get; init; }

    /// <summary>Gets the body, as the chunks that arrived.</summary>
    /// <value>The default is none (an empty body).</value>
    /// <exception cref="ArgumentNullException">The value or one of its items is <see langword="null"/>.</exception>
    public IReadOnlyList<TranscriptChunk> Chunks
    {
        get => _chunks;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            TranscriptChunk[] copy = [.. value];
            foreach (TranscriptChunk chunk in copy)
            {
                ArgumentNullException.ThrowIfNull(chunk, nameof(value));
            }

            _chunks = copy;
        }
    }

    /// <summary>Gets how the body ended.</summary>
    /// <value>The default is <see cref="TranscriptEnding.Complete"/>.</value>
    public TranscriptEnding Ending { get; init; }

    /// <summary>Gets the time from the last chunk to the end (or the cut).</summary>
    /// <value>The default is zero.</value>
    public TimeSpan EndDelay { get; init; }

    /// <summary>Gets what was asked, method and path (for example <c>POST /v1/chat/completions</c>), for the reader; not used by replay.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Request { get; init; }

    /// <summary>Gets the time the response took from request to end, as recorded.</summary>
    public TimeSpan Duration
    {
        get
        {
            TimeSpan total = HeadersDelay + EndDelay;
            foreach (TranscriptChunk chunk in _chunks)
            {
                total += chunk.Delay;
            }

            return total;
        }
    }

    /// <summary>
    /// Creates a complete <c>text/event-stream</c> transcript by hand: one chunk per item of <paramref name="pieces"/>,
    /// each <paramref name="interval"/> after the previous (the first at once).
    /// </summary>
    /// <param name="pieces">The body's pieces, for example <see cref="SseEvents.StandardAnswer"/>'s events.</param>
    /// <param name="interval">The time between pieces.</param>
    /// <returns>The transcript.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public static SseTranscript FromPieces(IEnumerable<string> pieces, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        var chunks = new List<TranscriptChunk>();
        foreach (string piece in pieces)
        {
            chunks.Add(new TranscriptChunk(chunks.Count == 0 ? TimeSpan.Zero : interval, piece));
        }

        return new SseTranscript { Chunks = chunks };
    }

    /// <summary>Reads a transcript from a file (see the format in the remarks).</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The transcript.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FormatException">The file is not a transcript; the message names the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SseTranscript Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path, Encoding.UTF8));
    }

    /// <summary>Reads a transcript from its JSON Lines text (see the format in the remarks).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The transcript.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a transcript; the message names the line.</exception>
    public static SseTranscript Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TranscriptFormat.Read(text);
    }

    /// <summary>Writes the transcript to a file as JSON Lines, creating its directory when needed.</summary>
    /// <param name="path">The file's path; an existing file is replaced.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, ToJsonLines(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>Gets the transcript as JSON Lines text, as <see cref="Save"/> writes it.</summary>
    /// <returns>The text, each line ending with <c>\n</c>.</returns>
    public string ToJsonLines() => TranscriptFormat.Write(this);

    /// <summary>Gets the whole body's bytes.</summary>
    /// <returns>The chunks' bytes, concatenated.</returns>
    public byte[] GetBody()
    {
        var body = new MemoryStream();
        foreach (TranscriptChunk chunk in _chunks)
        {
            body.Write(chunk.Data.Span);
        }

        return body.ToArray();
    }

    /// <summary>Gets the whole body as UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public string GetBodyText() => Encoding.UTF8.GetString(GetBody());
}
