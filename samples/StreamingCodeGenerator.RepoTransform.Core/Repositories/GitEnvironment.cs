using System.Diagnostics;
using System.Globalization;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The environment and configuration a git process runs with. Settings go through git's environment-only
/// configuration (<c>GIT_CONFIG_COUNT</c>, <c>GIT_CONFIG_KEY_n</c>, <c>GIT_CONFIG_VALUE_n</c>), never the command
/// line, so a password or the proxy's one-time password never shows in <c>ps</c>. Isolated (for a caller that is not
/// the machine's user), git reads no system or user configuration and no <c>GIT_*</c>, proxy or askpass variable of
/// the service's environment, so nothing but these settings can steer where it connects.
/// </summary>
internal sealed class GitEnvironment
{
    /// <summary>The variables credentials reach git's credential helper by.</summary>
    public const string UserNameVariable = "SCG_GIT_USERNAME";

    /// <inheritdoc cref="UserNameVariable"/>
    public const string PasswordVariable = "SCG_GIT_PASSWORD";

    // A credential helper that answers "get" with the two variables and ignores "store" and "erase".
    private const string CredentialHelper =
        "!f() { test \"$1\" = get || exit 0; printf 'username=%s\\npassword=%s\\n' \"$" + UserNameVariable + "\" \"$" + PasswordVariable + "\"; }; f";

    private static readonly string[] ProxyVariables =
    [
        "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
        "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "CURL_HOME",
    ];

    private readonly List<(string Key, string Value)> _config = [];
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    private GitEnvironment(bool isolated) => IsIsolated = isolated;

    /// <summary>Commands on a folder of the machine's user: their configuration applies, prompts are off.</summary>
    public static GitEnvironment Local => new(isolated: false);

    public bool IsIsolated { get; }

    public static GitEnvironment Create(bool isolated) => new(isolated);

    public GitEnvironment Set(string key, string value)
    {
        _config.Add((key, value));
        return this;
    }

    /// <summary>Hands credentials to git through a helper scoped to the URL's host, reading them from the environment.</summary>
    public GitEnvironment WithCredentials(RepositorySource source)
    {
        if (!source.HasCredentials || source.Scheme != "https")
        {
            return this;
        }

        string port = source.Port == source.UsualPort ? string.Empty : ":" + source.Port.ToString(CultureInfo.InvariantCulture);
        Set("credential.helper", string.Empty);
        Set($"credential.https://{source.Host}{port}.helper", CredentialHelper);
        _variables[UserNameVariable] = source.UserName ?? string.Empty;
        _variables[PasswordVariable] = source.Password ?? string.Empty;
        return this;
    }

    public void Apply(ProcessStartInfo start)
    {
        IDictionary<string, string?> environment = start.Environment;
        int offset = 0;
        if (IsIsolated)
        {
            foreach (string name in environment.Keys.ToList())
            {
                if (name.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase) || ProxyVariables.Contains(name, StringComparer.Ordinal))
                {
                    environment.Remove(name);
                }
            }

            environment["GIT_CONFIG_NOSYSTEM"] = "1";
            environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        }
        else if (environment.TryGetValue("GIT_CONFIG_COUNT", out string? existing) && int.TryParse(existing, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            // The user's own environment configuration stays; ours follows it, so ours wins.
            offset = count;
        }

        // Never stop to ask for a user name or pass phrase: a run must not hang on a prompt nobody sees.
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GCM_INTERACTIVE"] = "never";
        environment["LC_ALL"] = "C";
        if (_config.Count > 0)
        {
            environment["GIT_CONFIG_COUNT"] = (offset + _config.Count).ToString(CultureInfo.InvariantCulture);
            for (int i = 0; i < _config.Count; i++)
            {
                string index = (offset + i).ToString(CultureInfo.InvariantCulture);
                environment["GIT_CONFIG_KEY_" + index] = _config[i].Key;
                environment["GIT_CONFIG_VALUE_" + index] = _config[i].Value;
            }
        }

        foreach ((string name, string value) in _variables)
        {
            environment[name] = value;
        }
    }
}
