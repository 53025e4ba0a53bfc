namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The repository's own checks a run applies its diff to (<see cref="RepositoryTransformerOptions.Checks"/>): commands
/// such as <c>python3 -m py_compile app.py</c>, <c>git diff --check</c> or <c>dotnet build</c>, run one after another in
/// a temporary worktree (the repository's files at the base revision plus the change, never the caller's own tree).
/// When one fails, the end of its output goes back to the model for a revision, up to <see cref="MaxRevisions"/> times; a
/// change that never passes is <see cref="TransformOutcome.ChecksFailed"/>. The commands come from whoever configures the
/// transformer (the user of a command line, the operator of a service), never from a run's request.
/// </summary>
/// <remarks>
/// <para>
/// Each command runs through <c>/bin/sh -c</c> (<c>cmd.exe /c</c> on Windows) with standard input empty, standard error
/// merged into standard output, the worktree as its working folder, at most <see cref="Timeout"/>, and only the last
/// <see cref="MaxOutputBytes"/> of its output kept. On Unix it runs in a session and process group of its own
/// (<c>setsid</c>), and that whole group is killed when the command ends or times out, so background processes it started
/// do not outlive it.
/// </para>
/// <para>
/// With <see cref="InheritEnvironment"/> off (the default, for a service), a check is sandboxed: its environment is
/// rebuilt from nothing (<c>PATH</c>, a <c>HOME</c> and <c>TMPDIR</c> inside the run's temporary folder, <c>LANG</c>,
/// <c>CI=true</c>, and the variables <see cref="PassEnvironment"/> names), so no API key, service secret, <c>GIT_*</c> or
/// proxy variable reaches it; with <see cref="AllowNetwork"/> off and unprivileged user namespaces available
/// (<c>unshare</c>), it runs without a network and in a PID namespace that the kernel empties when the command ends.
/// The sandbox does not stop a check from reading or writing what the service's user may read or write elsewhere on the
/// disk, nor limit its CPU and memory: run a service with checks on a machine or container that holds nothing else.
/// </para>
/// </remarks>
public sealed class CheckOptions
{
    /// <summary>The most revision rounds <see cref="MaxRevisions"/> accepts.</summary>
    public const int MaxRevisionsLimit = 10;

    /// <summary>Gets the commands, run in order after each diff; the first that fails stops the rest. Empty turns checks off.</summary>
    /// <value>The default is empty.</value>
    public IList<string> Commands { get; } = [];

    /// <summary>Gets or sets how long one command may run; then its process group is killed and it counts as failed (timed out).</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the most revision rounds a failed check may ask of the model (each is another request). 0 runs the
    /// checks and reports them without asking for a fix.
    /// </summary>
    /// <value>The default is 2.</value>
    public int MaxRevisions { get; set; } = 2;

    /// <summary>Gets or sets how much of a failed check's output the model is shown, in tokens, counted with the model's tokenizer; the end is kept, where errors usually are.</summary>
    /// <value>The default is 2,000.</value>
    public int MaxOutputTokens { get; set; } = 2_000;

    /// <summary>Gets or sets how many bytes of a check's output are kept (the last ones); the rest is counted and dropped as it arrives.</summary>
    /// <value>The default is 256 KiB.</value>
    public int MaxOutputBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets the most bytes of files a check worktree holds (the repository's listed files, by their listed
    /// sizes); a larger repository fails the run with a <see cref="RepositoryLimitException"/> before anything is written.
    /// </summary>
    /// <value>The default is 1 GiB.</value>
    public long MaxWorktreeBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Gets or sets whether a check runs with this process's environment (less the model's key, anything holding it, and
    /// the <c>GIT_*</c> variables that would point git at another repository) and its <c>HOME</c>: for a command line whose
    /// user wrote the checks. Off, the check's environment is rebuilt from nothing (see the remarks).
    /// </summary>
    /// <value>The default is <see langword="false"/>: sandboxed.</value>
    public bool InheritEnvironment { get; set; }

    /// <summary>Gets the names of variables a sandboxed check also receives from this process (for example <c>DOTNET_ROOT</c> or <c>NUGET_PACKAGES</c>).</summary>
    /// <value>The default is empty.</value>
    public IList<string> PassEnvironment { get; } = [];

    /// <summary>
    /// Gets or sets whether a check may use the network. Off, a check runs in new user, network and PID namespaces
    /// (<c>unshare</c>) when the system allows unprivileged ones; when it does not, the check runs with the network and the
    /// run says so in a warning.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowNetwork { get; set; }

    /// <summary>Creates the settings for a command line run by the machine's own user: the user's environment, <c>HOME</c> and network.</summary>
    /// <returns>New settings without commands.</returns>
    public static CheckOptions ForLocalUser() => new() { InheritEnvironment = true, AllowNetwork = true };

    internal void Validate()
    {
        foreach (string command in Commands)
        {
            if (string.IsNullOrWhiteSpace(command) || command.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("A check command must be a non-empty command line without NUL characters.", nameof(Commands));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRevisions, nameof(MaxRevisions));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRevisions, MaxRevisionsLimit, nameof(MaxRevisions));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputTokens, nameof(MaxOutputTokens));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputBytes, nameof(MaxOutputBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxWorktreeBytes, nameof(MaxWorktreeBytes));
        foreach (string name in PassEnvironment)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not an environment variable name.", nameof(PassEnvironment));
            }
        }
    }
}
