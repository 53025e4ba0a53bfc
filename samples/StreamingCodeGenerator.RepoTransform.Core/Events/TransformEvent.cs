namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Something that happened during a run, in order: the repository opened, the files chosen, each round's files as the
/// model writes them, the review's verdict, the diff, and finally <see cref="RunCompleted"/>. A web host sends these as
/// server-sent events; the CLI draws them.
/// </summary>
public abstract record TransformEvent
{
    private protected TransformEvent()
    {
    }
}
