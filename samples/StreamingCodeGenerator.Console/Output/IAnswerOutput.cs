namespace StreamingCodeGeneration.Samples.Console;

/// <summary>Where a run's answer, progress and outcome go: the terminal, plain text, or JSON lines.</summary>
internal interface IAnswerOutput : IProgress<StreamStats>, IAsyncDisposable
{
    /// <summary>The generation is about to start.</summary>
    void Start();

    /// <summary>A chunk arrived.</summary>
    void Write(Chunk chunk);

    /// <summary>An attempt failed and another follows after <see cref="RetryNotification.Delay"/>.</summary>
    ValueTask RetryingAsync(RetryNotification retry);

    /// <summary>The answer is complete (possibly cut by <c>length</c> or <c>content_filter</c>).</summary>
    void Completed(CodeGenerationResult result, IReadOnlyList<SavedFile> saved);

    /// <summary>The run failed or was cancelled: what arrived was already written; report the one-line error.</summary>
    void Failed(CommandLineError error, string partialText, StreamStats stats);
}
