namespace StreamingCodeGeneration;

/// <summary>
/// The source seam: where a generation's updates come from. Each call of <see cref="StreamAsync"/> is one attempt: it
/// sends the request when enumeration starts and yields normalized <see cref="ChatUpdate"/>s until the answer is
/// complete. Everything above it (timeouts, retries, continuation, chunks, stats) is the same for every source.
/// </summary>
/// <remarks>
/// A source's contract: failures surface as typed <see cref="CodeGenerationException"/>s (it is the one place that
/// translates its own low-level errors); cancellation of <c>cancellationToken</c> surfaces as
/// <see cref="OperationCanceledException"/> or any exception (the layers above tell which); enumeration ends normally
/// only when the answer is complete, so a source that sees its body end early throws
/// <see cref="StreamInterruptedException"/>. Text it yields is well-formed UTF-16.
/// </remarks>
internal interface IChatUpdateSource
{
    /// <summary>The provider's name for telemetry (<c>gen_ai.provider.name</c>): <c>openai</c>, <c>azure.ai.openai</c>…</summary>
    string ProviderName { get; }

    /// <summary>Where requests go, for telemetry (<c>server.address</c>, <c>server.port</c>); <see langword="null"/> when unknown.</summary>
    Uri? ServerAddress { get; }

    /// <summary>Runs one attempt.</summary>
    IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, CancellationToken cancellationToken);
}
