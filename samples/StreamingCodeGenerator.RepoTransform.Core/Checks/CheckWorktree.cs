using System.Globalization;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// A temporary worktree for one round of checks: <c>repo/</c> holds every file the repository listed, with the bytes
/// the run read them from (the work tree's for a folder, git's objects for a clone) and their modes, committed as the
/// base of a fresh git repository, then the run's diff applied with <c>git apply</c> — so <c>git diff</c> in a check shows
/// the change. <c>home/</c> and <c>tmp/</c> beside it are a sandboxed check's <c>HOME</c> and <c>TMPDIR</c>. The caller's
/// own tree is never written; <see cref="DisposeAsync"/> removes the folder.
/// </summary>
internal sealed class CheckWorktree : IAsyncDisposable
{
    // git reads a repository's attributes when it adds and applies; these keep its bytes exactly as listed (no end-of-line
    // conversion, no filters), the bytes the diff was written against.
    private const string NeutralAttributes = "* -text -filter -ident -working-tree-encoding\n";

    private readonly string _folder;

    private CheckWorktree(string folder)
    {
        _folder = folder;
        Root = Path.Combine(folder, "repo");
        Home = Path.Combine(folder, "home");
        Temporary = Path.Combine(folder, "tmp");
    }

    public string Root { get; }

    public string Home { get; }

    public string Temporary { get; }

    /// <exception cref="RepositoryLimitException">The listed files are larger than <see cref="CheckOptions.MaxWorktreeBytes"/>.</exception>
    /// <exception cref="RepositoryException">git could not create the base or refused the diff.</exception>
    public static async Task<CheckWorktree> CreateAsync(
        RepositoryWorkspace workspace, RepositorySnapshot snapshot, string diff, RepositoryTransformerOptions options, CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (RepositoryFile file in snapshot.Files)
        {
            bytes += file.Entry.Size ?? 0;
        }

        long limit = options.Checks.MaxWorktreeBytes;
        if (bytes > limit)
        {
            throw new RepositoryLimitException(
                "Checks.MaxWorktreeBytes",
                limit,
                $"The repository's files take {ByteSize.Format(bytes)}, more than {ByteSize.Format(limit)}, the most a check worktree holds (Checks.MaxWorktreeBytes).");
        }

        string folder = Path.Combine(Path.GetTempPath(), "scg-check-" + Guid.NewGuid().ToString("N")[..12]);
        var worktree = new CheckWorktree(folder);
        try
        {
            Directory.CreateDirectory(worktree.Root);
            Directory.CreateDirectory(worktree.Home);
            Directory.CreateDirectory(worktree.Temporary);
            await worktree.WriteBaseAsync(workspace, snapshot, limit, options.GitExecutable, cancellationToken).ConfigureAwait(false);
            GitResult apply = await GitCommand.RunAsync(options.GitExecutable, worktree.Root, ["apply", "--whitespace=nowarn", "-"], Environment, cancellationToken, standardInput: diff).ConfigureAwait(false);
            if (!apply.Succeeded)
            {
                throw new RepositoryException($"The diff did not apply to a copy of the repository's files for the checks: {apply.FirstErrorLine}");
            }

            return worktree;
        }
        catch
        {
            await worktree.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        TemporaryFolder.Delete(_folder);
        return ValueTask.CompletedTask;
    }

    /// <summary>git's settings here: no machine configuration, a fixed author, no hooks, no signing.</summary>
    private static GitEnvironment Environment => GitEnvironment.Create(isolated: true)
        .Set("user.name", "scg-transform")
        .Set("user.email", "scg-transform@localhost")
        .Set("init.defaultBranch", "main")
        .Set("commit.gpgSign", "false")
        .Set("core.autocrlf", "false")
        .Set("core.fsmonitor", "false")
        .Set("core.hooksPath", OperatingSystem.IsWindows() ? "NUL" : "/dev/null")
        .Set("gc.auto", "0");

    private async Task WriteBaseAsync(RepositoryWorkspace workspace, RepositorySnapshot snapshot, long limit, string git, CancellationToken cancellationToken)
    {
        await RunGitAsync(git, ["init", "-q"], cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(Root, ".git", "info", "attributes"), NeutralAttributes, cancellationToken).ConfigureAwait(false);
        foreach (RepositoryFile file in snapshot.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RepositoryEntry entry = file.Entry;
            if (entry.Mode == "160000" || entry.Size is null)
            {
                continue;
            }

            // Never through a link written earlier: every file lands inside the worktree.
            RepositoryPath.EnsureInsideTree(Root, entry.Path, entry.Path);
            string target = Path.Combine(Root, entry.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (entry.Mode == "120000" || (!workspace.IsClone && RepositoryPath.IsLink(Path.Combine(workspace.Root, entry.Path))))
            {
                await WriteLinkAsync(workspace, entry, target, limit, cancellationToken).ConfigureAwait(false);
                continue;
            }

            byte[]? content = await workspace.ReadAsync(entry, limit, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                continue;
            }

            await File.WriteAllBytesAsync(target, content, cancellationToken).ConfigureAwait(false);
            if (entry.Mode == "100755" && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        await RunGitAsync(git, ["add", "-A"], cancellationToken).ConfigureAwait(false);
        await RunGitAsync(git, ["commit", "-q", "--allow-empty", "--no-verify", "-m", "base"], cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteLinkAsync(RepositoryWorkspace workspace, RepositoryEntry entry, string target, long limit, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string? linkTarget = workspace.IsClone
            ? await workspace.ReadAsync(entry, limit, cancellationToken).ConfigureAwait(false) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null
            : new FileInfo(Path.Combine(workspace.Root, entry.Path)).LinkTarget;
        if (!string.IsNullOrEmpty(linkTarget))
        {
            File.CreateSymbolicLink(target, linkTarget);
        }
    }

    private async Task RunGitAsync(string git, string[] arguments, CancellationToken cancellationToken)
    {
        GitResult result = await GitCommand.RunAsync(git, Root, arguments, Environment, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new RepositoryException(string.Create(
                CultureInfo.InvariantCulture, $"Could not prepare the worktree for the checks (git {arguments[0]}): {result.FirstErrorLine}"));
        }
    }
}
