using System.Text;

namespace StreamingCodeGeneration.Testing;

/// <content>The events an answer is made of, in the shapes the major OpenAI-compatible servers send.</content>
public sealed partial class SseScript
{
    /// <summary>Adds the first chunk of an answer: <c>"delta":{"role":"assistant","content":""}</c>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    public SseScript Role(string role = "assistant")
    {
        ArgumentNullException.ThrowIfNull(role);
        return Step(run => run.WriteDataAsync(run.Json.Role(role)));
    }

    /// <summary>Adds one content chunk per piece: <c>"delta":{"content":PIECE}</c>.</summary>
    /// <param name="pieces">The pieces, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public SseScript Content(params string[] pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        foreach (string piece in pieces)
        {
            ArgumentNullException.ThrowIfNull(piece, nameof(pieces));
            Step(run => run.WriteDataAsync(run.Json.Content(piece)));
        }

        return this;
    }

    /// <summary>Adds <paramref name="text"/> as content chunks of <paramref name="pieceLength"/> characters (a surrogate pair is never split).</summary>
    /// <param name="text">The text.</param>
    /// <param name="pieceLength">The characters per chunk.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pieceLength"/> is not positive.</exception>
    public SseScript ContentInPieces(string text, int pieceLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        return Content(Split(text, pieceLength));
    }

    /// <summary>
    /// Adds a fenced code block as content chunks of <paramref name="pieceLength"/> characters: <c>```LANGUAGE</c>
    /// (with <c> title=FILE</c> when <paramref name="fileName"/> is given), a line break, the code (a line break is added
    /// when it lacks one), <c>```</c> and a line break. Put it after text that ends with a line break.
    /// </summary>
    /// <param name="language">The language named by the fence, for example <c>csharp</c>; may be empty.</param>
    /// <param name="code">The code.</param>
    /// <param name="fileName">The file name to put in the fence's info string, or <see langword="null"/>.</param>
    /// <param name="pieceLength">The characters per chunk.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="language"/> or <paramref name="code"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pieceLength"/> is not positive.</exception>
    public SseScript CodeBlock(string language, string code, string? fileName = null, int pieceLength = 16)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        return ContentInPieces(Fence(language, code, fileName), pieceLength);
    }

    /// <summary>A fenced code block: <c>```LANGUAGE[ title=FILE]</c>, a line break, the code (with a final line break), <c>```</c> and a line break.</summary>
    internal static string Fence(string language, string code, string? fileName)
    {
        var block = new StringBuilder("```").Append(language);
        if (fileName is not null)
        {
            block.Append(" title=").Append(fileName);
        }

        block.Append('\n').Append(code);
        if (!code.EndsWith('\n'))
        {
            block.Append('\n');
        }

        return block.Append("```\n").ToString();
    }

    /// <summary>
    /// Adds a reasoning delta: <c>"delta":{"content":null,"reasoning_content":TEXT}</c> (DeepSeek, vLLM) or
    /// <c>"delta":{"content":"","reasoning":TEXT}</c> (OpenRouter, Ollama).
    /// </summary>
    /// <param name="text">The reasoning text.</param>
    /// <param name="field">The field to send it in.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public SseScript Reasoning(string text, ReasoningField field = ReasoningField.ReasoningContent)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Step(run => run.WriteDataAsync(run.Json.Reasoning(text, field)));
    }

    /// <summary>Adds a content chunk whose content is a part array: <c>"delta":{"content":[{"type":"text","text":…},…]}</c>.</summary>
    /// <param name="texts">The text of each part.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is <see langword="null"/>.</exception>
    public SseScript ContentParts(params string[] texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        string[] copy = [.. texts];
        foreach (string text in copy)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(texts));
        }

        return Step(run => run.WriteDataAsync(run.Json.ContentParts(copy)));
    }

    /// <summary>
    /// Adds a chunk the way Mistral's reasoning models stream thinking:
    /// <c>"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":THINKING}]},{"type":"text","text":TEXT}]}</c>
    /// (the text part is left out when <paramref name="text"/> is null or empty).
    /// </summary>
    /// <param name="thinking">The thinking text.</param>
    /// <param name="text">The answer text in the same chunk, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="thinking"/> is <see langword="null"/>.</exception>
    public SseScript MistralThinking(string thinking, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        return Step(run => run.WriteDataAsync(run.Json.MistralThinking(thinking, text)));
    }

    /// <summary>Adds a refusal delta: <c>"delta":{"refusal":TEXT}</c>.</summary>
    /// <param name="text">The refusal text.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public SseScript Refusal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Step(run => run.WriteDataAsync(run.Json.Refusal(text)));
    }

    /// <summary>Adds the last choice chunk: <c>"delta":{},"finish_reason":REASON</c>.</summary>
    /// <param name="reason">The finish reason: <c>stop</c>, <c>length</c>, <c>content_filter</c>, <c>tool_calls</c>…</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    public SseScript Finish(string reason = "stop")
    {
        ArgumentNullException.ThrowIfNull(reason);
        return Step(run => run.WriteDataAsync(run.Json.Finish(reason)));
    }

    /// <summary>Adds a usage chunk as OpenAI sends it last: <c>"choices":[],"usage":{"prompt_tokens":…,"completion_tokens":…,"total_tokens":…}</c>.</summary>
    /// <param name="prompt">Prompt tokens.</param>
    /// <param name="completion">Completion tokens; the total is the sum.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public SseScript Usage(int prompt, int completion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(completion);
        return Step(run => run.WriteDataAsync(run.Json.Usage(prompt, completion)));
    }

    /// <summary>
    /// Adds Groq's last chunk, which carries usage under <c>x_groq</c> instead of a top-level <c>usage</c>:
    /// <c>"choices":[{"index":0,"delta":{},"finish_reason":REASON}],"x_groq":{"id":"req_test","usage":{…}}</c>.
    /// </summary>
    /// <param name="prompt">Prompt tokens.</param>
    /// <param name="completion">Completion tokens; the total is the sum.</param>
    /// <param name="finishReason">The finish reason on the same chunk; <see langword="null"/> sends <c>null</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public SseScript GroqUsage(int prompt, int completion, string? finishReason = "stop")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(completion);
        return Step(run => run.WriteDataAsync(run.Json.GroqUsage(prompt, completion, finishReason)));
    }

    /// <summary>
    /// Adds Azure OpenAI's first chunk: empty <c>choices</c>, empty <c>id</c> and <c>model</c>, and
    /// <c>prompt_filter_results</c> with a verdict per category (all safe, or <c>hate</c> filtered).
    /// </summary>
    /// <param name="filtered">Whether the prompt was filtered.</param>
    /// <returns>This builder.</returns>
    public SseScript AzurePromptFilterResults(bool filtered = false) =>
        Step(run => run.WriteDataAsync(ChunkJson.AzurePromptFilterResults(filtered)));

    /// <summary>Adds a content chunk as Azure OpenAI sends it: with <c>content_filter_results</c> on the choice (all safe, or <c>hate</c> filtered).</summary>
    /// <param name="text">The content.</param>
    /// <param name="filtered">Whether the filter flagged it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public SseScript AzureContent(string text, bool filtered = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Step(run => run.WriteDataAsync(run.Json.AzureContent(text, filtered)));
    }

    /// <summary>Adds the end-of-stream sentinel, <c>data: [DONE]</c>.</summary>
    /// <returns>This builder.</returns>
    public SseScript Done() => Step(run => run.WriteDataAsync("[DONE]"));

    /// <summary>Adds a keep-alive comment, <c>: ping</c> and a blank line, which a client must ignore.</summary>
    /// <param name="comment">The comment text (OpenRouter sends <c>OPENROUTER PROCESSING</c>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comment"/> is <see langword="null"/>.</exception>
    public SseScript KeepAlive(string comment = "ping")
    {
        ArgumentNullException.ThrowIfNull(comment);
        return Step(run => run.WriteEventAsync(": " + comment + run.NewLine + run.NewLine));
    }

    /// <summary>Adds an event with one <c>data:</c> line carrying <paramref name="data"/> as-is.</summary>
    /// <param name="data">The data.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    public SseScript Data(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Step(run => run.WriteDataAsync(data));
    }

    /// <summary>Adds a named event: <c>event: NAME</c>, <c>data: DATA</c> and a blank line.</summary>
    /// <param name="eventName">The event type.</param>
    /// <param name="data">The data, as-is.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventName"/> or <paramref name="data"/> is <see langword="null"/>.</exception>
    public SseScript Event(string eventName, string data)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(data);
        return Step(run => run.WriteEventAsync("event: " + eventName + run.NewLine + "data: " + data + run.NewLine + run.NewLine));
    }

    /// <summary>Adds text written exactly as given (as UTF-8), with no framing: half an event, odd fields, anything.</summary>
    /// <param name="text">The text.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public SseScript Raw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Step(run => run.WriteEventAsync(text));
    }

    /// <summary>Adds bytes written exactly as given, for example invalid UTF-8.</summary>
    /// <param name="bytes">The bytes; copied.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is <see langword="null"/>.</exception>
    public SseScript Raw(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        byte[] copy = [.. bytes];
        return Step(run => run.WriteEventAsync(copy));
    }

    internal static string[] Split(string text, int pieceLength)
    {
        var pieces = new List<string>((text.Length / pieceLength) + 1);
        int start = 0;
        while (start < text.Length)
        {
            int length = Math.Min(pieceLength, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length++;
            }

            pieces.Add(text.Substring(start, length));
            start += length;
        }

        return [.. pieces];
    }
}
