using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// The repository-transform settings (<c>WebApi:Runs</c>): where runs are stored, which repositories a caller may name
/// and where git may connect for them, and what one run may cost. Callers are strangers: by default only https URLs of
/// public hosts on port 443, never a folder on the server, loopback or private addresses.
/// </summary>
public sealed class RunSettings
{
    /// <summary>The file name of the service's default history: <c>webapi-history.db</c>.</summary>
    public const string DefaultHistoryFileName = "webapi-history.db";

    private static readonly RepositoryTransformerOptions Defaults = new();

    /// <summary>
    /// Gets or sets where runs are stored: a SQLite file, or a PostgreSQL connection string or URL (what several
    /// instances share).
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: <see cref="DefaultHistoryFileName"/> in the <c>StreamingCodeGenerator</c>
    /// folder of the user's local data folder, a file of its own (scg-transform's is <c>history.db</c> there).
    /// </value>
    public string? History { get; set; }

    /// <summary>
    /// Gets the URL schemes a <c>repoUrl</c> may use: https, ssh, file. Only https by default: <c>file</c> lets any caller
    /// read repositories and folders on the server's disk, <c>ssh</c> uses the service's own keys.
    /// </summary>
    /// <value>The default is <c>https</c>.</value>
    public IList<string> AllowedRepositorySchemes { get; } = [];

    /// <summary>
    /// Gets hosts a <c>repoUrl</c> (or a redirect) may reach although they are loopback or private, or on another port
    /// than 443: <c>git.internal</c> (any port), <c>git.internal:8443</c>, <c>10.0.0.5</c>, <c>[fd00::5]:443</c>.
    /// </summary>
    /// <value>The default is empty: public hosts on port 443 only.</value>
    public IList<string> AllowedRepositoryHosts { get; } = [];

    /// <summary>Gets or sets whether loopback, private, link-local and unique-local addresses are allowed for every host.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Gets or sets a PEM file of certificate authorities git trusts for repository hosts (an internal git server's).</summary>
    /// <value>The default is <see langword="null"/>: git's own trust store.</value>
    public string? RepositoryCaCertificates { get; set; }

    /// <summary>Gets or sets how many runs may go on at once; past it a run is answered 503 with <c>Retry-After</c>.</summary>
    /// <value>The default is 4.</value>
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>Gets or sets how long a clone may take.</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan CloneTimeout { get; set; } = Defaults.CloneTimeout;

    /// <summary>Gets or sets the most bytes a clone may download.</summary>
    /// <value>The default is 256 MiB.</value>
    public long MaxCloneBytes { get; set; } = Defaults.MaxCloneBytes;

    /// <summary>Gets or sets the most files a run lists; a larger repository is answered 422.</summary>
    /// <value>The default is 50,000.</value>
    public int MaxFilesScanned { get; set; } = Defaults.MaxFilesScanned;

    /// <summary>Gets or sets the most bytes of file contents a run reads; the rest are left out, with a warning.</summary>
    /// <value>The default is 4 MiB.</value>
    public long MaxBytesRead { get; set; } = Defaults.MaxBytesRead;

    /// <summary>Gets or sets the largest file a run reads; larger files are left out as too large.</summary>
    /// <value>The default is 256 KiB.</value>
    public long MaxFileBytes { get; set; } = Defaults.MaxFileBytes;

    /// <summary>
    /// Gets the operator's checks: shell commands (<c>python3 -m py_compile $(git ls-files '*.py')</c>, <c>git diff --check</c>,
    /// <c>dotnet build</c>) run on each diff in a sandboxed temporary worktree, whose failures go back to the model for
    /// a revision. Never taken from a caller's request. A check runs code a caller chose (their repository, the model's
    /// change) with the service's user: see the README's "Checks" section before turning them on.
    /// </summary>
    /// <value>The default is empty: no checks.</value>
    public IList<string> Checks { get; } = [];

    /// <summary>Gets or sets how long one check may run; then its process group (or PID namespace) is killed and it counts as failed.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan CheckTimeout { get; set; } = CheckDefaults.Timeout;

    /// <summary>Gets or sets the most revision rounds after a failed check (each is a model request).</summary>
    /// <value>The default is 2.</value>
    public int MaxCheckRevisions { get; set; } = CheckDefaults.MaxRevisions;

    /// <summary>Gets the names of the service's environment variables a check also receives (for example <c>NUGET_PACKAGES</c>); every other variable is left out.</summary>
    /// <value>The default is empty.</value>
    public IList<string> CheckPassEnvironment { get; } = [];

    /// <summary>Gets or sets whether checks may use the network. Off, they run without one where the system allows unprivileged user namespaces (<c>unshare</c>); elsewhere a run warns that they could not be cut off.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool CheckAllowNetwork { get; set; }

    /// <summary>Gets or sets the most bytes of files a check worktree holds; a larger repository is answered 422.</summary>
    /// <value>The default is 1 GiB.</value>
    public long MaxCheckWorktreeBytes { get; set; } = CheckDefaults.MaxWorktreeBytes;

    private static CheckOptions CheckDefaults { get; } = new();

    /// <summary>The transformer's options from these settings.</summary>
    internal RepositoryTransformerOptions ToTransformerOptions(TimeProvider timeProvider, Func<Exception, string> describeFailure)
    {
        var options = new RepositoryTransformerOptions
        {
            TimeProvider = timeProvider,
            CloneTimeout = CloneTimeout,
            MaxCloneBytes = MaxCloneBytes,
            MaxFilesScanned = MaxFilesScanned,
            MaxBytesRead = MaxBytesRead,
            MaxFileBytes = MaxFileBytes,
            DescribeFailure = describeFailure,
            Checks = new CheckOptions
            {
                InheritEnvironment = false,
                AllowNetwork = CheckAllowNetwork,
                Timeout = CheckTimeout,
                MaxRevisions = MaxCheckRevisions,
                MaxWorktreeBytes = MaxCheckWorktreeBytes,
            },
        };
        foreach (string command in Checks)
        {
            options.Checks.Commands.Add(command);
        }

        foreach (string name in CheckPassEnvironment)
        {
            options.Checks.PassEnvironment.Add(name);
        }

        RepositoryAccess access = options.RepositoryAccess;
        foreach (string scheme in AllowedRepositorySchemes.Count > 0 ? AllowedRepositorySchemes : ["https"])
        {
            access.AllowedSchemes.Add(scheme);
        }

        foreach (string host in AllowedRepositoryHosts)
        {
            access.AllowedHosts.Add(host);
        }

        access.AllowPrivateNetworks = AllowPrivateNetworks;
        access.CaCertificatesFile = RepositoryCaCertificates;
        return options;
    }
}
