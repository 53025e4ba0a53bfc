namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>Progress as plain lines, for logs and pipes: one line per step and per file, never per token.</summary>
internal sealed class PlainProgressWriter(TextWriter writer) : IProgress<TransformEvent>
{
    private const int MaxListedExclusions = 20;
    private const int ShownOutputLines = 20;

    public void Report(TransformEvent value)
    {
        switch (value)
        {
            case RepositoryOpened opened:
                writer.WriteLine($"repository: {opened.Root}{(opened.IsClone ? " (clone)" : "")}, {Describe.Short(opened.Commit)}, {opened.FileCount} files");
                break;
            case FilesSelected selected:
                writer.WriteLine($"shown to the model: {selected.Included.Count} files; prompt {Describe.Number(selected.PromptTokens)} of {Describe.Number(selected.MaxPromptTokens)} tokens");
                foreach (ExcludedFile file in selected.Excluded.Take(MaxListedExclusions))
                {
                    writer.WriteLine($"left out: {file.Path} ({Describe.Reason(file.Reason)})");
                }

                if (selected.Excluded.Count > MaxListedExclusions)
                {
                    writer.WriteLine($"left out: … and {selected.Excluded.Count - MaxListedExclusions} more");
                }

                break;
            case RoundStarted started:
                writer.WriteLine($"round {started.Round} ({Describe.Round(started.Kind)}): prompt {Describe.Number(started.PromptTokens)} tokens");
                break;
            case FileStarted file:
                writer.WriteLine($"  {Describe.Edit(file.Edit, done: false)} {file.Path}");
                break;
            case FileCompleted file:
                writer.WriteLine(file.Edit == FileEditKind.Delete
                    ? $"  {Describe.Edit(file.Edit, done: true)} {file.Path}"
                    : $"  {Describe.Edit(file.Edit, done: true)} {file.Path} ({file.Lines} lines)");
                break;
            case RoundCompleted completed:
                writer.WriteLine($"round {completed.Round} done: {Describe.Number(completed.OutputTokens)} tokens, {completed.FileEdits} files");
                break;
            case ReviewCompleted review:
                writer.WriteLine($"review: {Describe.Verdict(review.Verdict)}");
                break;
            case TransformWarning warning:
                writer.WriteLine($"warning: {warning.Message}");
                break;
            case CheckStarted check:
                writer.WriteLine($"check: {check.Command} (the diff of round {check.Round})");
                break;
            case CheckCompleted check:
                writer.WriteLine($"check {Describe.Check(check.Check)}: {check.Check.Command}");
                if (!check.Check.Passed)
                {
                    foreach (string line in Describe.LastLines(check.Output, ShownOutputLines))
                    {
                        writer.WriteLine($"  | {line}");
                    }
                }

                break;
            case ChangesApplied applied:
                writer.WriteLine($"applied the diff to {applied.Files.Count} files");
                break;
        }
    }
}
