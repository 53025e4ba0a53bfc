namespace StreamingCodeGeneration;

/// <summary>
/// The source seam: one provider's translator. Each call of <see cref="StreamAsync"/> is one attempt: it sends what
/// the <see cref="ChatAttempt"/> describes when enumeration starts and yields normalized <see cref="ChatUpdate"/>s
/// until the answer is complete. It knows nothing else: attempts, retries, backoff, continuation, timeouts, stats and
/// logs belong to the stages above, which are the same for every source.
/// </summary>
/// <remarks>
/// <para>A source's contract:</para>
/// <list type="bullet">
/// <item>Text it yields is well-formed UTF-16; answer text in <see cref="ChatUpdate.Text"/>, reasoning in
/// <see cref="ChatUpdate.Reasoning"/>, usage (with cached and reasoning tokens when the provider reports them) in
/// <see cref="ChatUpdate.Usage"/>, the provider's finish reason as sent.</item>
/// <item>Failures are typed <see cref="CodeGenerationException"/>s made with <see cref="SourceFailures"/>: an error
/// status with its parsed body and <c>Retry-After</c>, a lost connection, an error event in the stream. Enumeration
/// ends normally only when the answer is complete, so a body that ends early throws
/// <see cref="SourceFailures.EndedEarly"/>.</item>
/// <item>A server that refuses the request because it asked for usage throws <see cref="UsageRejectedException"/>.</item>
/// <item>Cancellation of <c>cancellationToken</c> surfaces as <see cref="OperationCanceledException"/> or any exception
/// (the stages above tell which); disposing the enumerator closes the connection.</item>
/// </list>
/// </remarks>
internal interface IChatUpdateSource
{
    /// <summary>The provider's name for telemetry (<c>gen_ai.provider.name</c>): <c>openai</c>, <c>azure.ai.openai</c>…</summary>
    string ProviderName { get; }

    /// <summary>Where requests go, for telemetry (<c>server.address</c>, <c>server.port</c>); <see langword="null"/> when unknown.</summary>
    Uri? ServerAddress { get; }

    /// <summary>Runs one attempt.</summary>
    IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a failure may succeed on another attempt, for the failures only this provider knows (an overloaded status
    /// such as 529); <see langword="null"/> leaves the decision to the common rules of <see cref="RetryClassifier"/>.
    /// </summary>
    bool? IsTransient(CodeGenerationException failure) => null;
}
