namespace StreamingCodeGeneration;

/// <summary>
/// What one attempt asks of a source: the request's settings, the messages to send, and whether to ask the server
/// for usage. The resilience stage makes one per attempt (a continuation's messages are built here, once, for every
/// source); a source reads it and knows nothing else of the generation.
/// </summary>
internal sealed class ChatAttempt
{
    /// <summary>The user turn that asks the model to carry on after a broken stream.</summary>
    public const string ContinuationInstruction =
        "Your previous answer was cut off. Continue it exactly where it stopped, starting with the very next character. " +
        "Do not repeat anything you already wrote, do not add any preamble, and keep the same formatting.";

    private ChatAttempt(PreparedRequest request, IReadOnlyList<ConversationMessage> messages, string? continuationText, bool includeUsage)
    {
        Request = request;
        Messages = messages;
        ContinuationText = continuationText;
        IncludeUsage = includeUsage;
    }

    /// <summary>The request: model, temperature, output limit, stop sequences (its messages are in <see cref="Messages"/>).</summary>
    public PreparedRequest Request { get; }

    /// <summary>
    /// The conversation to send: the request's messages, and for a continuation the answer so far as an assistant turn
    /// followed by <see cref="ContinuationInstruction"/> as a user turn.
    /// </summary>
    public IReadOnlyList<ConversationMessage> Messages { get; }

    /// <summary>
    /// For a continuation, the answer received so far (the assistant turn of <see cref="Messages"/>);
    /// <see langword="null"/> for a first attempt or a retry of one.
    /// </summary>
    public string? ContinuationText { get; }

    /// <summary>Whether this attempt continues an answer that was cut.</summary>
    public bool IsContinuation => ContinuationText is not null;

    /// <summary>
    /// Whether to ask the server to report usage. A source that can ask (OpenAI's <c>stream_options</c>) and is refused
    /// throws <see cref="UsageRejectedException"/>; the resilience stage then asks again without it.
    /// </summary>
    public bool IncludeUsage { get; }

    /// <summary>A first attempt (or a retry of one): the request as it is.</summary>
    public static ChatAttempt First(PreparedRequest request, bool includeUsage) =>
        new(request, request.Messages, continuationText: null, includeUsage);

    /// <summary>A continuation: the request's messages, the answer so far, and the instruction to carry on.</summary>
    public static ChatAttempt Continuation(PreparedRequest request, string answerSoFar, bool includeUsage)
    {
        var messages = new List<ConversationMessage>(request.Messages.Count + 2);
        messages.AddRange(request.Messages);
        messages.Add(ConversationMessage.Assistant(answerSoFar));
        messages.Add(ConversationMessage.User(ContinuationInstruction));
        return new ChatAttempt(request, messages, answerSoFar, includeUsage);
    }

    /// <summary>The same attempt without asking for usage (the server refused it).</summary>
    public ChatAttempt WithoutUsage() => new(Request, Messages, ContinuationText, includeUsage: false);
}
