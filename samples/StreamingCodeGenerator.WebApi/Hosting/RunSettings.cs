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
        };
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
