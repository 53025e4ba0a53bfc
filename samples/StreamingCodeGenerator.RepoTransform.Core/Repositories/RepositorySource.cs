using System.Text.RegularExpressions;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// A repository named by the caller: a local folder, or a git URL with an allowed scheme (https, ssh — including
/// <c>user@host:path</c> — and file). Anything else (http, git://, ext::, options in disguise) is refused, because
/// git would otherwise run transports that are unencrypted or execute commands.
/// </summary>
internal sealed partial class RepositorySource
{
    private RepositorySource(string value, RepositorySourceKind kind, string location, string? scheme)
    {
        Value = value;
        Kind = kind;
        Location = location;
        Scheme = scheme;
    }

    /// <summary>What the caller gave, for messages and the history.</summary>
    public string Value { get; }

    public RepositorySourceKind Kind { get; }

    /// <summary>The full folder path, or the URL to clone.</summary>
    public string Location { get; }

    /// <summary>The git transport to allow for a URL: <c>https</c>, <c>ssh</c> or <c>file</c>.</summary>
    public string? Scheme { get; }

    /// <exception cref="RepositoryException">The value is empty, refused or names nothing that exists.</exception>
    public static RepositorySource Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = value.Trim();
        if (text.Length == 0)
        {
            throw new RepositoryException("No repository given: pass a local folder or an https, ssh or file git URL.");
        }

        if (text[0] == '-')
        {
            throw new RepositoryException($"Refused the repository '{text}': it starts with '-', so git would read it as an option.");
        }

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            string scheme = text[..schemeEnd].ToLowerInvariant();
            if (scheme is not ("https" or "ssh" or "file"))
            {
                throw new RepositoryException(
                    $"Refused the repository URL '{text}': only https, ssh and file URLs are cloned ({scheme} is not allowed).");
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (scheme != "file" && string.IsNullOrEmpty(uri.Host)))
            {
                throw new RepositoryException($"The repository URL '{text}' is not a valid {scheme} URL.");
            }

            return new RepositorySource(text, RepositorySourceKind.GitUrl, text, scheme);
        }

        if (text.Contains("::", StringComparison.Ordinal))
        {
            throw new RepositoryException($"Refused the repository '{text}': git transport syntax (such as ext::) is not allowed; use an https, ssh or file URL.");
        }

        if (ScpLikeUrl().IsMatch(text))
        {
            return new RepositorySource(text, RepositorySourceKind.GitUrl, text, "ssh");
        }

        string full = Path.GetFullPath(text);
        if (Directory.Exists(full))
        {
            return new RepositorySource(text, RepositorySourceKind.LocalFolder, Path.TrimEndingDirectorySeparator(full), null);
        }

        if (File.Exists(full))
        {
            throw new RepositoryException($"The repository '{text}' is a file; pass its folder.");
        }

        throw new RepositoryException($"The repository '{text}' was not found: it is neither an existing folder nor an https, ssh or file git URL.");
    }

    // git's scp-like syntax for ssh: user@host:path (a user is required so "C:" or "a:b" stay local paths).
    [GeneratedRegex(@"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^\s:][^\s]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScpLikeUrl();
}
