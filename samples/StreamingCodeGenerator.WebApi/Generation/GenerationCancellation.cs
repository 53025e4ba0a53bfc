namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>Which of the tokens linked into a generation fired, if any.</summary>
internal enum GenerationCancellation
{
    /// <summary>None: the generation was not cancelled.</summary>
    None,

    /// <summary>The client disconnected: nothing more can reach it.</summary>
    Client,

    /// <summary>The first chunk did not arrive within the service's deadline.</summary>
    Deadline,

    /// <summary>The service is shutting down and the grace period is over.</summary>
    Shutdown,
}
