namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Which repositories a run may open, and where git may connect to fetch them. The default suits a service whose
/// callers are strangers: public https hosts on port 443 only, no folder on this machine, git's own configuration and
/// environment out of play. <see cref="ForLocalUser"/> suits a command line run by the machine's own user.
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="AllowAnyDestination"/> off, every https clone goes through a small HTTP CONNECT proxy that the run
/// starts on 127.0.0.1 for git alone (<c>git -c http.proxy=…</c>, with a one-time password). The proxy resolves each
/// host git asks for itself, checks every address against these settings, and connects to the address it checked. That
/// covers the first host, every redirect git follows, and a name whose DNS answer changes between a check and the
/// connection (DNS rebinding), none of which a check before starting git could see. It also counts the bytes the clone
/// downloads (<see cref="RepositoryTransformerOptions.MaxCloneBytes"/>). An ssh host is resolved and checked once,
/// and ssh is pointed at the checked address.
/// </para>
/// <para>
/// Refused unless allowed: loopback, private (RFC 1918), shared (100.64.0.0/10), link-local (169.254.0.0/16,
/// fe80::/10), unique-local (fc00::/7), unspecified, multicast, broadcast, documentation and reserved addresses, the
/// same in IPv4-mapped, NAT64 and 6to4 forms, names under <c>localhost</c>, and ports other than 443 (https) and 22 (ssh).
/// </para>
/// </remarks>
public sealed class RepositoryAccess
{
    /// <summary>Gets the URL schemes a repository may use: <c>https</c>, <c>ssh</c> (also <c>user@host:path</c>) and <c>file</c>.
    /// <c>file</c> also allows a folder on this machine by its path. Any other scheme (http, git, ext…) is always refused.</summary>
    /// <value>The default is empty, which means <c>https</c> only.</value>
    public ISet<string> AllowedSchemes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets hosts git may reach although their addresses are not public or their port is not the scheme's usual one:
    /// <c>git.internal</c> (any port), <c>git.internal:8443</c>, <c>10.0.0.5</c>, <c>[fd00::5]:443</c>. A name is
    /// matched as the URL (or a redirect) spells it, case-insensitively; an address as written. Public hosts on the
    /// usual port need no entry.
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Gets or sets whether loopback, private, link-local and unique-local addresses are allowed for every host
    /// (ports stay limited to the usual ones unless <see cref="AllowedHosts"/> names them).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Gets or sets whether the run's caller is trusted with the machine's network and git configuration: no address or
    /// port checks, no proxy, and git reads the user's and the system's configuration (credential helpers, proxies,
    /// <c>url.*.insteadOf</c>). For a command line run by the machine's own user, never for a service.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowAnyDestination { get; set; }

    /// <summary>Gets or sets a PEM file of certificate authorities git trusts for https repository hosts, for example an
    /// internal git server's; <see langword="null"/> keeps git's default trust store.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CaCertificatesFile { get; set; }

    /// <summary>Creates the settings for a command line run by the machine's own user: https, ssh, file URLs and local
    /// folders, any destination, and the user's git configuration.</summary>
    /// <returns>New settings.</returns>
    public static RepositoryAccess ForLocalUser()
    {
        var access = new RepositoryAccess { AllowAnyDestination = true };
        access.AllowedSchemes.Add("https");
        access.AllowedSchemes.Add("ssh");
        access.AllowedSchemes.Add("file");
        return access;
    }

    /// <summary>
    /// Checks a repository as a run will read it (the same parser, these settings), without opening or fetching
    /// anything: for a host that checks its inputs before anything else (and before it asks for a model).
    /// </summary>
    /// <param name="repository">The repository as the caller named it: a folder, or an https, ssh or file URL.</param>
    /// <returns>The repository as the history will name it: without user name, password, query or fragment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">These settings name an unknown scheme or a malformed host.</exception>
    /// <exception cref="RepositoryUrlException">Not a URL or folder these settings allow; the message says why without repeating the value.</exception>
    /// <exception cref="RepositoryException">A folder that does not exist, or a file.</exception>
    public string Check(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        Validate();
        return RepositorySource.Parse(repository, this).Display;
    }

    /// <summary>Whether an entry for <see cref="AllowedHosts"/> is well-formed: a host name, an address, either with
    /// <c>:port</c>, or <c>[IPv6 address]</c> with an optional port.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns><see langword="true"/> when it can be used.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    public static bool IsValidHostEntry(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AllowedHost.TryParse(entry, out _);
    }

    /// <summary>The schemes in effect: <see cref="AllowedSchemes"/>, or https alone when it is empty.</summary>
    internal IReadOnlyCollection<string> EffectiveSchemes => AllowedSchemes.Count > 0 ? [.. AllowedSchemes.Select(s => s.ToLowerInvariant())] : ["https"];

    internal bool AllowsScheme(string scheme) => EffectiveSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);

    internal void Validate()
    {
        foreach (string scheme in AllowedSchemes)
        {
            if (!RepositorySource.KnownSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{scheme}' is not a scheme a repository may use; only https, ssh and file are.", nameof(AllowedSchemes));
            }
        }

        foreach (string host in AllowedHosts)
        {
            if (!AllowedHost.TryParse(host, out _))
            {
                throw new ArgumentException($"'{host}' is not a host, host:port, address or [IPv6 address]:port.", nameof(AllowedHosts));
            }
        }
    }
}
