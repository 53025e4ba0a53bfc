namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The two things a run does to a work tree when asked to apply: check it is clean, and <c>git apply</c> the diff.</summary>
internal static class WorkingTree
{
    private const int MaxListedChanges = 5;

    /// <exception cref="RepositoryException">The tree has uncommitted changes or untracked files.</exception>
    public static async Task EnsureCleanAsync(string git, string root, CancellationToken cancellationToken)
    {
        // --no-optional-locks: a status check must not rewrite the index of the tree it is checking.
        GitResult status = await GitCommand.RunAsync(
            git, root, ["--no-optional-locks", "-c", "core.quotepath=off", "status", "--porcelain", "--untracked-files=all"], cancellationToken).ConfigureAwait(false);
        if (!status.Succeeded)
        {
            throw new RepositoryException($"Could not check the work tree: {status.FirstErrorLine}");
        }

        string[] changes = status.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (changes.Length > 0)
        {
            string listed = string.Join(", ", changes.Take(MaxListedChanges).Select(c => c.Trim()));
            string more = changes.Length > MaxListedChanges ? $" and {changes.Length - MaxListedChanges} more" : string.Empty;
            throw new RepositoryException(
                $"Refused to apply: the work tree has uncommitted changes ({listed}{more}); commit or stash them first, so the change can be reviewed and undone on its own.");
        }
    }

    /// <exception cref="RepositoryException">git refused the diff; nothing was applied (git apply is all or nothing).</exception>
    public static async Task ApplyAsync(string git, string root, string diff, CancellationToken cancellationToken)
    {
        GitResult result = await GitCommand.RunAsync(git, root, ["apply", "--whitespace=nowarn", "-"], cancellationToken, standardInput: diff).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new RepositoryException($"git apply refused the diff, so nothing was applied: {result.FirstErrorLine}");
        }
    }
}
