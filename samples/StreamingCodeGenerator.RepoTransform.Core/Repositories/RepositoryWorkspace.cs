using System.Globalization;
using System.Net;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// An opened repository: a local folder used in place, or a shallow clone without a checkout in a temporary folder that
/// <see cref="DisposeAsync"/> removes (its files are read from git's objects, so a file the run never reads is never
/// expanded onto the disk). Opening never writes to a local folder.
/// </summary>
internal sealed class RepositoryWorkspace : IAsyncDisposable
{
    private const string RegularMode = "100644";
    private const string ExecutableMode = "100755";

    private readonly string? _temporaryFolder;
    private readonly string _git;
    private GitObjectReader? _objects;

    private RepositoryWorkspace(RepositorySource source, string root, bool isGitRepository, string? commit, string? temporaryFolder, string git, GitEnvironment environment)
    {
        Source = source;
        Root = root;
        IsGitRepository = isGitRepository;
        Commit = commit;
        _temporaryFolder = temporaryFolder;
        _git = git;
        Environment = environment;
    }

    public RepositorySource Source { get; }

    /// <summary>The work tree's root (for a folder inside a git repository, the repository's top level; for a clone, its folder).</summary>
    public string Root { get; }

    public bool IsGitRepository { get; }

    /// <summary>The commit checked out, or <see langword="null"/> outside git or before the first commit.</summary>
    public string? Commit { get; }

    public bool IsClone => _temporaryFolder is not null;

    /// <summary>The environment git runs with here (isolated for a clone made for a caller who is not the machine's user).</summary>
    public GitEnvironment Environment { get; }

    /// <exception cref="RepositoryFetchException">The clone failed (one message; the detail is on the exception).</exception>
    /// <exception cref="RepositoryLimitException">The clone passed <see cref="RepositoryTransformerOptions.MaxCloneBytes"/>.</exception>
    /// <exception cref="RepositoryException">git is missing.</exception>
    public static async Task<RepositoryWorkspace> OpenAsync(RepositorySource source, RepositoryTransformerOptions options, CancellationToken cancellationToken)
    {
        string git = options.GitExecutable;
        if (source.Kind == RepositorySourceKind.LocalFolder)
        {
            return await OpenFolderAsync(source, source.Location, git, GitEnvironment.Local, temporaryFolder: null, cancellationToken).ConfigureAwait(false);
        }

        RepositoryAccess access = options.RepositoryAccess;
        var policy = new DestinationPolicy(access);
        bool isolated = !access.AllowAnyDestination;
        GitEnvironment environment = GitEnvironment.Create(isolated)
            .Set("protocol.allow", "never")
            .Set($"protocol.{source.Scheme}.allow", "always")
            .Set("core.fsmonitor", "false")
            .Set("submodule.recurse", "false")
            .Set("fetch.recurseSubmodules", "false")
            .WithCredentials(source);
        string location = source.Location;
        EgressProxy? proxy = null;
        if (isolated && source.Scheme == "https")
        {
            // Refused without starting anything when the URL alone says so (a loopback literal, another port); the
            // proxy checks again, after resolving, for every connection git makes.
            if (policy.CheckWithoutResolving(source.Host!, source.HostAddress, source.Port, source.UsualPort) is { } refusal)
            {
                throw RepositoryFetchException.WithDetail($"refused {source.Host}:{source.Port}: {refusal}");
            }

            proxy = EgressProxy.Start(policy, options.MaxCloneBytes, options.TimeProvider);
            environment
                .Set("http.proxy", proxy.ProxyUrl)
                .Set("http.proxyAuthMethod", "basic")
                .Set("http.followRedirects", "initial")
                .Set("http.sslVerify", "true")
                .Set("http.lowSpeedLimit", "1000")
                .Set("http.lowSpeedTime", "30");
            if (access.CaCertificatesFile is { } authorities)
            {
                environment.Set("http.sslCAInfo", authorities);
            }
        }
        else if (isolated && source.Scheme == "ssh")
        {
            location = await PinSshAsync(source, policy, environment, cancellationToken).ConfigureAwait(false);
        }

        string folder = Path.Combine(Path.GetTempPath(), "scg-transform-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            await using (proxy)
            {
                await CloneAsync(source, location, folder, git, environment, proxy, options, cancellationToken).ConfigureAwait(false);
            }

            return await OpenFolderAsync(source, folder, git, environment, folder, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>
    /// Lists the files: what git tracks in a work tree (<c>git ls-files</c>), the commit's tree in a clone
    /// (<c>git ls-tree</c>, with sizes), or the folder's files (build-output folders skipped) outside git.
    /// </summary>
    /// <exception cref="RepositoryLimitException">More than <paramref name="maxFiles"/> files.</exception>
    public async Task<List<RepositoryEntry>> ListAsync(int maxFiles, List<ExcludedFile> skippedFolders, CancellationToken cancellationToken)
    {
        List<RepositoryEntry>? entries = IsClone ? await ListCommitAsync(maxFiles, cancellationToken).ConfigureAwait(false)
            : IsGitRepository ? await ListTrackedAsync(maxFiles, cancellationToken).ConfigureAwait(false)
            : ListFolder(maxFiles, skippedFolders, cancellationToken);
        return entries ?? throw new RepositoryLimitException(
            nameof(RepositoryTransformerOptions.MaxFilesScanned),
            maxFiles,
            $"The repository has more than {maxFiles.ToString("N0", CultureInfo.InvariantCulture)} files, the most a run lists (MaxFilesScanned).");
    }

    /// <summary>Reads a file's bytes; <see langword="null"/> when it has grown past <paramref name="maxBytes"/> since it was listed.</summary>
    public async Task<byte[]?> ReadAsync(RepositoryEntry entry, long maxBytes, CancellationToken cancellationToken)
    {
        if (entry.ObjectId is { } objectId)
        {
            _objects ??= GitObjectReader.Start(_git, Root, Environment);
            return await _objects.ReadAsync(objectId, entry.Size ?? 0, cancellationToken).ConfigureAwait(false);
        }

        var file = new FileStream(Path.Combine(Root, entry.Path), new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.Asynchronous });
        await using (file.ConfigureAwait(false))
        {
            // Never more than the limit, even when the file grew after it was listed.
            byte[] buffer = new byte[Math.Min(maxBytes, entry.Size ?? 0) + 1];
            int length = await ReadUpToAsync(file, buffer, cancellationToken).ConfigureAwait(false);
            if (length < buffer.Length)
            {
                return buffer.AsSpan(0, length).ToArray();
            }

            if (buffer.Length > maxBytes)
            {
                return null;
            }

            // It grew since it was listed: read on, up to the limit.
            byte[] grown = new byte[maxBytes + 1];
            buffer.CopyTo(grown, 0);
            length += await ReadUpToAsync(file, grown.AsMemory(length), cancellationToken).ConfigureAwait(false);
            return length > maxBytes ? null : grown.AsSpan(0, length).ToArray();
        }
    }

    private static async Task<int> ReadUpToAsync(FileStream file, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int length = 0;
        int read;
        while (length < buffer.Length && (read = await file.ReadAsync(buffer[length..], cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return length;
    }

    public async ValueTask DisposeAsync()
    {
        if (_objects is not null)
        {
            await _objects.DisposeAsync().ConfigureAwait(false);
        }

        if (_temporaryFolder is not null)
        {
            DeleteFolder(_temporaryFolder);
        }
    }

    private static async Task CloneAsync(
        RepositorySource source, string location, string folder, string git, GitEnvironment environment, EgressProxy? proxy, RepositoryTransformerOptions options, CancellationToken cancellationToken)
    {
        // Shallow, one branch, no tags, no submodules, and no checkout: the run reads files from git's objects.
        string[] arguments = ["clone", "--depth", "1", "--single-branch", "--no-tags", "--no-checkout", "--no-recurse-submodules", "--quiet", "--", location, folder];
        using var timeout = new CancellationTokenSource(options.CloneTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        GitResult clone;
        try
        {
            clone = await GitCommand.RunAsync(git, Path.GetTempPath(), arguments, environment, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw RepositoryFetchException.WithDetail(
                Redact($"the clone of {source.Display} took longer than {options.CloneTimeout} (CloneTimeout); {proxy?.Detail}", source, proxy), ex);
        }

        if (proxy?.LimitExceeded == true)
        {
            throw new RepositoryLimitException(
                nameof(RepositoryTransformerOptions.MaxCloneBytes),
                options.MaxCloneBytes,
                $"The repository's clone is larger than {ByteSize.Format(options.MaxCloneBytes)}, the most a run downloads (MaxCloneBytes).");
        }

        if (!clone.Succeeded)
        {
            string proxyDetail = proxy is null ? string.Empty : $" (proxy: {proxy.Detail})";
            throw RepositoryFetchException.WithDetail(Redact($"git clone {source.Display} failed: {clone.Error.Trim()}{proxyDetail}", source, proxy));
        }
    }

    /// <summary>
    /// For ssh, which the proxy cannot carry: resolve and check the host once, then point ssh at the checked address
    /// (keeping the host's name for its known_hosts check) with no proxy command of the machine's ssh configuration.
    /// </summary>
    private static async Task<string> PinSshAsync(RepositorySource source, DestinationPolicy policy, GitEnvironment environment, CancellationToken cancellationToken)
    {
        (IPAddress[] addresses, string? refusal) = await policy.ResolveAsync(source.Host!, source.HostAddress, source.Port, source.UsualPort, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            throw RepositoryFetchException.WithDetail($"refused {source.Host}:{source.Port}: {refusal}");
        }

        IPAddress address = addresses[0];
        string pinned = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        environment.Set("core.sshCommand", $"ssh -o BatchMode=yes -o HostKeyAlias={source.Host} -o ProxyCommand=none -o ProxyJump=none");
        string user = source.SshUser is null ? string.Empty : source.SshUser + "@";
        string port = source.Port == 22 ? string.Empty : ":" + source.Port.ToString(CultureInfo.InvariantCulture);
        return source.IsScpLike ? $"{user}{pinned}:{source.SshPath}" : $"ssh://{user}{pinned}{port}{source.SshPath}";
    }

    /// <summary>Removes the password, the user name and the proxy's password from text meant for the log.</summary>
    private static string Redact(string text, RepositorySource source, EgressProxy? proxy)
    {
        foreach (string? secret in new[] { source.Password, proxy?.Password })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal).Replace(Uri.EscapeDataString(secret), "***", StringComparison.Ordinal);
            }
        }

        if (!string.IsNullOrEmpty(source.UserName) && source.UserName.Length >= 3)
        {
            text = text.Replace(source.UserName, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static async Task<RepositoryWorkspace> OpenFolderAsync(
        RepositorySource source, string folder, string git, GitEnvironment environment, string? temporaryFolder, CancellationToken cancellationToken)
    {
        GitResult top = await GitCommand.RunAsync(git, folder, ["rev-parse", "--show-toplevel"], environment, cancellationToken).ConfigureAwait(false);
        if (!top.Succeeded)
        {
            return new RepositoryWorkspace(source, folder, isGitRepository: false, commit: null, temporaryFolder, git, environment);
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(top.Output.Trim()));
        GitResult head = await GitCommand.RunAsync(git, root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], environment, cancellationToken).ConfigureAwait(false);
        string? commit = head.Succeeded ? head.Output.Trim() : null;
        return new RepositoryWorkspace(source, root, isGitRepository: true, commit, temporaryFolder, git, environment);
    }

    private async Task<List<RepositoryEntry>?> ListTrackedAsync(int maxFiles, CancellationToken cancellationToken)
    {
        // -s gives each entry's mode (symlinks 120000, submodules 160000); -z keeps unusual names verbatim. A path
        // appears at most three times (the stages of a conflict), so more records than that are more paths than allowed.
        List<string>? records = await GitCommand.ReadRecordsAsync(
            _git, Root, ["-c", "core.quotepath=off", "-c", "core.fsmonitor=false", "ls-files", "-s", "-z"], Environment, (int)Math.Min(int.MaxValue, 3L * maxFiles), "Could not list the repository's files", cancellationToken).ConfigureAwait(false);
        if (records is null)
        {
            return null;
        }

        var entries = new List<RepositoryEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string record in records)
        {
            // "<mode> <object> <stage>\t<path>"; a conflicted path appears once per stage.
            int tab = record.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                continue;
            }

            string path = record[(tab + 1)..];
            if (!seen.Add(path))
            {
                continue;
            }

            if (entries.Count == maxFiles)
            {
                return null;
            }

            string mode = record[..record.IndexOf(' ', StringComparison.Ordinal)];
            entries.Add(new RepositoryEntry(path, mode, mode == "160000" ? null : SizeOf(Path.Combine(Root, path)), ObjectId: null));
        }

        return entries;
    }

    private async Task<List<RepositoryEntry>?> ListCommitAsync(int maxFiles, CancellationToken cancellationToken)
    {
        if (Commit is null)
        {
            return [];
        }

        // "<mode> SP <type> SP <object> SP+ <size> TAB <path>", size "-" for a submodule.
        List<string>? records = await GitCommand.ReadRecordsAsync(
            _git, Root, ["ls-tree", "-r", "-l", "-z", "--full-tree", Commit], Environment, maxFiles, "Could not list the repository's files", cancellationToken).ConfigureAwait(false);
        if (records is null)
        {
            return null;
        }

        var entries = new List<RepositoryEntry>(records.Count);
        foreach (string record in records)
        {
            int tab = record.IndexOf('\t', StringComparison.Ordinal);
            string[] fields = tab < 0 ? [] : record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 4)
            {
                continue;
            }

            long? size = long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) ? bytes : null;
            entries.Add(new RepositoryEntry(record[(tab + 1)..], fields[0], size, fields[1] == "blob" ? fields[2] : null));
        }

        return entries;
    }

    private List<RepositoryEntry>? ListFolder(int maxFiles, List<ExcludedFile> skippedFolders, CancellationToken cancellationToken)
    {
        var entries = new List<RepositoryEntry>();
        var pending = new Stack<string>();
        pending.Push(Root);
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string folder = pending.Pop();
            foreach (string directory in Directory.EnumerateDirectories(folder, "*", options))
            {
                string relative = Relative(directory);
                string name = Path.GetFileName(directory);
                if (name == ".git")
                {
                    continue;
                }

                if (RepositoryPath.IsLink(directory))
                {
                    skippedFolders.Add(new ExcludedFile(relative + "/", ExclusionReason.SymbolicLink));
                }
                else if (FileClassifier.IsGeneratedFolderName(name))
                {
                    skippedFolders.Add(new ExcludedFile(relative + "/", ExclusionReason.Generated));
                }
                else
                {
                    pending.Push(directory);
                }
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*", options))
            {
                if (entries.Count == maxFiles)
                {
                    return null;
                }

                bool link = RepositoryPath.IsLink(file);
                string mode = link ? "120000"
                    : !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? ExecutableMode
                    : RegularMode;
                entries.Add(new RepositoryEntry(Relative(file), mode, link ? 0 : SizeOf(file), ObjectId: null));
            }
        }

        skippedFolders.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    private static long? SizeOf(string full)
    {
        var info = new FileInfo(full);
        return info.Exists ? info.Length : null;
    }

    private string Relative(string full) => Path.GetRelativePath(Root, full).Replace('\\', '/');

    private static void DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        // git writes its objects read-only; on Windows that blocks deletion, so clear the flag first.
        if (OperatingSystem.IsWindows())
        {
            var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            foreach (string file in Directory.EnumerateFiles(folder, "*", all))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }
        }

        Directory.Delete(folder, recursive: true);
    }
}
