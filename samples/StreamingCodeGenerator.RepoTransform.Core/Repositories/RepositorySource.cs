using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// A repository named by the caller, read once by one parser that decides everything from that reading: whether it is
/// a URL or a folder, its scheme, host, port, path and credentials. A value that starts like a URL (<c>letters:</c>)
/// is a URL and nothing else: <c>https:\/host/../../etc</c> is a malformed URL, never a folder. Only https, ssh (also
/// <c>user@host:path</c>) and file are known, and only those <see cref="RepositoryAccess.AllowedSchemes"/> allows are
/// accepted; a folder is accepted only when <c>file</c> is. What git is given is rebuilt from the parts read here, so git
/// and curl cannot read the URL differently, and credentials are kept apart from it (<see cref="Display"/> has none).
/// </summary>
internal sealed partial class RepositorySource
{
    /// <summary>The schemes a repository URL may have at all.</summary>
    public static readonly string[] KnownSchemes = ["https", "ssh", "file"];

    private const int MaxLength = 2048;

    private RepositorySource(RepositorySourceKind kind, string display, string location)
    {
        Kind = kind;
        Display = display;
        Location = location;
    }

    public RepositorySourceKind Kind { get; }

    /// <summary>The repository for messages, events and the history: the URL without user name, password, query or fragment, or the folder as named.</summary>
    public string Display { get; }

    /// <summary>The full folder path, or the URL git clones (rebuilt from its parts; no password).</summary>
    public string Location { get; }

    /// <summary>The git transport: <c>https</c>, <c>ssh</c> or <c>file</c>; <see langword="null"/> for a folder.</summary>
    public string? Scheme { get; private init; }

    /// <summary>The canonical host (lower-case name, dotted IPv4 or bracketed IPv6) of an https or ssh URL.</summary>
    public string? Host { get; private init; }

    /// <summary>The host's address when the URL names one literally.</summary>
    public IPAddress? HostAddress { get; private init; }

    /// <summary>The port git connects to: the URL's, or the scheme's usual one.</summary>
    public int Port { get; private init; }

    /// <summary>The scheme's usual port: 443 for https, 22 for ssh.</summary>
    public int UsualPort => Scheme == "ssh" ? 22 : 443;

    /// <summary>The user name of an https URL's credentials (percent-decoded), kept for the clone only.</summary>
    public string? UserName { get; private init; }

    /// <summary>The password of an https URL's credentials (percent-decoded), kept for the clone only.</summary>
    public string? Password { get; private init; }

    public bool HasCredentials => UserName is not null || Password is not null;

    /// <summary>For ssh: the user name git logs in as (not a secret), or <see langword="null"/>.</summary>
    public string? SshUser { get; private init; }

    /// <summary>For ssh: the path part (after <c>host:</c> in the scp-like form, or the URL's path).</summary>
    public string? SshPath { get; private init; }

    /// <summary>For ssh: whether the value was written <c>user@host:path</c>.</summary>
    public bool IsScpLike { get; private init; }

    /// <exception cref="RepositoryUrlException">The value is empty, malformed, or names a scheme or a folder the access does not allow.</exception>
    /// <exception cref="RepositoryException">A folder that does not exist, or a file.</exception>
    public static RepositorySource Parse(string value, RepositoryAccess access)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(access);
        string text = value.Trim(' ');
        if (text.Length == 0)
        {
            throw Refused($"No repository given: pass {Accepted(access)}.");
        }

        if (text.Length > MaxLength)
        {
            throw Refused($"The repository is longer than {MaxLength:N0} characters.");
        }

        if (FirstUnprintable(text) is { } unprintable)
        {
            throw Refused($"The repository holds {unprintable}; pass {Accepted(access)}.");
        }

        if (text[0] == '-')
        {
            throw Refused("The repository starts with '-', so git would read it as an option.");
        }

        Match scheme = SchemePrefix().Match(text);
        if (scheme.Success)
        {
            return ParseUrl(scheme.Groups[1].Value.ToLowerInvariant(), text[scheme.Length..], access);
        }

        if (text.Contains("::", StringComparison.Ordinal))
        {
            throw Refused($"Git transport syntax (such as ext::) is not accepted; pass {Accepted(access)}.");
        }

        if (ScpLikeUrl().Match(text) is { Success: true } scp)
        {
            return ParseScpLike(scp, access);
        }

        return ParseFolder(text, access);
    }

    /// <summary>
    /// A value that may not parse, made safe to store and show: user information (up to the last '@' after the scheme),
    /// a query and a fragment removed, unprintable characters replaced by '?', at most 2,048 characters.
    /// </summary>
    public static string Sanitize(string value)
    {
        string text = value.Trim();
        int cut = text.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            text = text[..cut];
        }

        text = UserInfo().Replace(text, string.Empty);
        var safe = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            safe.Append(char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format ? '?' : c);
        }

        return text.Length > MaxLength ? safe.Append('…').ToString() : safe.ToString();
    }

    private static RepositorySource ParseUrl(string scheme, string rest, RepositoryAccess access)
    {
        if (!KnownSchemes.Contains(scheme, StringComparer.Ordinal) || !access.AllowsScheme(scheme))
        {
            throw Refused(scheme == "file"
                ? $"file URLs (folders on this machine) are not accepted; pass {Accepted(access)}."
                : $"Only {Schemes(access)} URLs are accepted, not {(scheme.Length <= 16 ? scheme : "that scheme")}.");
        }

        // The one spelling git, curl and every URL parser agree on: scheme, two slashes, authority. Backslashes, a lone
        // slash or anything else after the colon is how a URL gets read as a path by one parser and a host by another.
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            throw Refused($"'{scheme}:' must be followed by '//' and the host.");
        }

        rest = rest[2..];
        if (rest.Contains('\\', StringComparison.Ordinal))
        {
            throw Refused("The repository URL holds a backslash.");
        }

        if (rest.AsSpan().IndexOfAny(" \t") >= 0)
        {
            throw Refused("The repository URL holds a space.");
        }

        int authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        string authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        string path = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        if (path.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            throw Refused("The repository URL has a query or a fragment; a git URL has neither.");
        }

        if (scheme == "file")
        {
            return ParseFileUrl(authority, path);
        }

        string? user = null;
        string? password = null;
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = authority[..at];
            authority = authority[(at + 1)..];
            if (!IsUserInfo(userInfo))
            {
                throw Refused("The repository URL's user name or password holds a character that must be percent-encoded.");
            }

            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (!TryDecode(colon < 0 ? userInfo : userInfo[..colon], out user) || (colon >= 0 && !TryDecode(userInfo[(colon + 1)..], out password)))
            {
                throw Refused("The repository URL's user name or password has a broken percent-encoding.");
            }

            if (scheme == "ssh" && password is not null)
            {
                throw Refused("An ssh URL takes no password; ssh authenticates with a key.");
            }
        }

        if (!HostName.TrySplitPort(authority, out string rawHost, out int? port))
        {
            throw Refused("The repository URL's port is not a number from 1 to 65535.");
        }

        if (!HostName.TryRead(rawHost, out string host, out IPAddress? address, out string? hostError))
        {
            throw Refused($"The repository URL is not valid: {hostError}.");
        }

        CheckPath(path);
        string portPart = port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty;
        string display = $"{scheme}://{host}{portPart}{path}";
        if (scheme == "ssh")
        {
            string userPart = user is null ? string.Empty : Uri.EscapeDataString(user) + "@";
            return new RepositorySource(RepositorySourceKind.GitUrl, display, $"ssh://{userPart}{host}{portPart}{path}")
            {
                Scheme = scheme,
                Host = host,
                HostAddress = address,
                Port = port ?? 22,
                SshUser = user,
                SshPath = path,
            };
        }

        return new RepositorySource(RepositorySourceKind.GitUrl, display, display)
        {
            Scheme = scheme,
            Host = host,
            HostAddress = address,
            Port = port ?? 443,
            UserName = user ?? (password is null ? null : string.Empty),
            Password = password,
        };
    }

    private static RepositorySource ParseFileUrl(string authority, string path)
    {
        if (authority.Length > 0 && !authority.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused("A file URL names a folder on this machine: file:///path, with no host.");
        }

        CheckPath(path);
        string url = "file://" + path;
        return new RepositorySource(RepositorySourceKind.GitUrl, url, url) { Scheme = "file" };
    }

    private static RepositorySource ParseScpLike(Match scp, RepositoryAccess access)
    {
        if (!access.AllowsScheme("ssh"))
        {
            throw Refused($"ssh (user@host:path) is not accepted; only {Schemes(access)} URLs are.");
        }

        if (!HostName.TryRead(scp.Groups["host"].Value, out string host, out IPAddress? address, out string? hostError))
        {
            throw Refused($"The repository is not valid: {hostError}.");
        }

        string user = scp.Groups["user"].Value;
        string path = scp.Groups["path"].Value;
        if (path.Contains('\\', StringComparison.Ordinal) || path.Split('/').Any(s => s is "." or ".."))
        {
            throw Refused("The repository's path holds a backslash or a '.' or '..' segment.");
        }

        return new RepositorySource(RepositorySourceKind.GitUrl, $"{host}:{path}", $"{user}@{host}:{path}")
        {
            Scheme = "ssh",
            Host = host,
            HostAddress = address,
            Port = 22,
            SshUser = user,
            SshPath = path,
            IsScpLike = true,
        };
    }

    private static RepositorySource ParseFolder(string text, RepositoryAccess access)
    {
        if (!access.AllowsScheme("file"))
        {
            throw Refused($"Folders on this machine are not accepted; pass {Accepted(access)}.");
        }

        string full = Path.GetFullPath(text);
        if (Directory.Exists(full))
        {
            return new RepositorySource(RepositorySourceKind.LocalFolder, text, Path.TrimEndingDirectorySeparator(full));
        }

        if (File.Exists(full))
        {
            throw new RepositoryException($"The repository '{text}' is a file; pass its folder.");
        }

        throw new RepositoryException($"The repository '{text}' was not found: it is neither an existing folder nor a git URL.");
    }

    /// <summary>
    /// A URL path: starts with '/', names something, printable ASCII without the characters URLs exclude, well-formed
    /// percent-encoding, and no '.' or '..' segment (percent-encoded either), which servers and proxies resolve differently.
    /// </summary>
    private static void CheckPath(string path)
    {
        if (path.Length < 2 || path[0] != '/')
        {
            throw Refused("The repository URL names no repository path.");
        }

        foreach (char c in path)
        {
            if (c is < '!' or > '~' or '"' or '<' or '>' or '^' or '`' or '{' or '|' or '}')
            {
                throw Refused("The repository URL's path holds a character that must be percent-encoded.");
            }
        }

        foreach (string segment in path.Split('/'))
        {
            if (!TryDecode(segment, out string? decoded))
            {
                throw Refused("The repository URL's path has a broken percent-encoding.");
            }

            if (decoded is "." or ".." || decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains('\0', StringComparison.Ordinal))
            {
                throw Refused("The repository URL's path holds a '.' or '..' segment or an encoded separator.");
            }
        }
    }

    /// <summary>RFC 3986 user information: unreserved, sub-delims, ':' and percent-encodings.</summary>
    private static bool IsUserInfo(string text)
    {
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:%".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecode(string text, out string decoded)
    {
        decoded = text;
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                bytes.Add((byte)text[i]);
                continue;
            }

            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                return false;
            }

            bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            i += 2;
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return FirstUnprintable(decoded) is null;
    }

    /// <summary>Names the first control, formatting, separator or unpaired surrogate character, or null.</summary>
    private static string? FirstUnprintable(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse)
            {
                return $"the character U+{(int)c:X4}";
            }
        }

        return null;
    }

    private static string Schemes(RepositoryAccess access)
    {
        string[] schemes = [.. KnownSchemes.Where(access.AllowsScheme)];
        return schemes.Length == 1 ? schemes[0] : string.Join(", ", schemes[..^1]) + " and " + schemes[^1];
    }

    private static string Accepted(RepositoryAccess access)
    {
        var kinds = new List<string>();
        if (access.AllowsScheme("file"))
        {
            kinds.Add("a local folder");
        }

        kinds.Add((access.AllowsScheme("https") ? "an https" : "a") + " git URL"
            + (KnownSchemes.Count(access.AllowsScheme) > 1 ? $" ({string.Join(", ", KnownSchemes.Where(access.AllowsScheme))})" : string.Empty));
        return string.Join(" or ", kinds);
    }

    private static RepositoryUrlException Refused(string message) => new(message);

    // Whatever stands between "scheme:" (and its slashes) and the last '@' before the next slash.
    [GeneratedRegex(@"(?<=^[A-Za-z][A-Za-z0-9+.\-]*:[/\\]*)[^/\\]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // A scheme is two characters or more, so a Windows drive ("C:\repo") stays a folder.
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]+):", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePrefix();

    // git's scp-like syntax for ssh: user@host:path (a user is required so "a:b" stays a folder name).
    [GeneratedRegex(@"^(?<user>[A-Za-z0-9._~-]+)@(?<host>[A-Za-z0-9.-]+):(?<path>[^\s:/][^\s]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ScpLikeUrl();
}
