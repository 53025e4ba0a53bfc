using System.Diagnostics;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// How a check's process is started: its environment (rebuilt from nothing, or this process's less its secrets), and the
/// programs it is wrapped in on Unix — <c>unshare</c> for no network and a PID namespace when the system allows it, else
/// <c>setsid</c> for a process group of its own. What each layer does and does not protect against is in
/// <see cref="CheckOptions"/>' remarks and the README.
/// </summary>
internal static class CheckSandbox
{
    /// <summary>The arguments that give a check new user, network and PID namespaces; the kernel kills what is left in the PID namespace when its first process ends, and <c>--kill-child</c> ends that one when unshare is killed.</summary>
    public static readonly string[] UnshareArguments = ["--user", "--map-current-user", "--net", "--pid", "--fork", "--kill-child"];

    /// <summary>Variables that would point a check's git at another repository than the worktree.</summary>
    private static readonly string[] GitLocationVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR",
        "GIT_NAMESPACE", "GIT_PREFIX", "GIT_CEILING_DIRECTORIES",
    ];

    /// <summary>Variables that hold a model's key or endpoint (an endpoint may carry a user name and password).</summary>
    private static readonly string[] ModelVariables = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"];

    private static readonly Lazy<string?> Setsid = new(() => FindOnPath("setsid"));
    private static Task<bool>? s_namespaces;

    /// <summary>Whether <c>unshare</c> with <see cref="UnshareArguments"/> works here (probed once per process).</summary>
    public static Task<bool> CanIsolateNetworkAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            return Task.FromResult(false);
        }

        return s_namespaces ??= ProbeNamespacesAsync();
    }

    /// <summary>
    /// The program and arguments that run <paramref name="command"/> through the shell: <c>sh -c 'exec 2&gt;&amp;1; eval "$1"'</c>
    /// with the command as <c>$1</c> (the command's text is never rewritten), inside unshare or setsid on Unix.
    /// </summary>
    public static (string FileName, List<string> Arguments, bool OwnGroup) Wrap(string command, bool isolateNetwork)
    {
        if (OperatingSystem.IsWindows())
        {
            return ("cmd.exe", ["/d", "/s", "/c", command + " 2>&1"], false);
        }

        List<string> shell = ["/bin/sh", "-c", "exec 2>&1; eval \"$1\"", "scg-check", command];
        if (isolateNetwork)
        {
            return ("unshare", [.. UnshareArguments, "--", .. shell], false);
        }

        return Setsid.Value is { } setsid ? (setsid, shell, true) : (shell[0], shell[1..], false);
    }

    /// <summary>Sets the check's environment: rebuilt from nothing, or inherited less the secrets (see <see cref="CheckOptions.InheritEnvironment"/>).</summary>
    public static void ApplyEnvironment(ProcessStartInfo start, CheckOptions options, string home, string temporary, string? apiKey)
    {
        IDictionary<string, string?> environment = start.Environment;
        if (options.InheritEnvironment)
        {
            foreach (string name in environment.Keys.ToList())
            {
                string? value = environment[name];
                if (ModelVariables.Contains(name, StringComparer.OrdinalIgnoreCase)
                    || GitLocationVariables.Contains(name, StringComparer.OrdinalIgnoreCase)
                    || (!string.IsNullOrEmpty(apiKey) && value is not null && value.Contains(apiKey, StringComparison.Ordinal)))
                {
                    environment.Remove(name);
                }
            }

            return;
        }

        Dictionary<string, string?> passed = options.PassEnvironment.ToDictionary(name => name, name => environment.TryGetValue(name, out string? value) ? value : null, StringComparer.Ordinal);
        string? path = environment.TryGetValue("PATH", out string? inherited) ? inherited : null;
        environment.Clear();
        environment["PATH"] = string.IsNullOrEmpty(path) ? "/usr/local/bin:/usr/bin:/bin" : path;
        environment["HOME"] = home;
        environment["USERPROFILE"] = home;
        environment["TMPDIR"] = temporary;
        environment["TMP"] = temporary;
        environment["TEMP"] = temporary;
        environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
        environment["LANG"] = "C.UTF-8";
        environment["LC_ALL"] = "C.UTF-8";
        environment["CI"] = "true";
        environment["TERM"] = "dumb";
        environment["NO_COLOR"] = "1";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_CLI_HOME"] = home;
        if (OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("SystemRoot") is { } systemRoot)
        {
            environment["SystemRoot"] = systemRoot;
        }

        foreach ((string name, string? value) in passed)
        {
            if (value is not null)
            {
                environment[name] = value;
            }
        }
    }

    private static async Task<bool> ProbeNamespacesAsync()
    {
        if (FindOnPath("unshare") is null)
        {
            return false;
        }

        try
        {
            var start = new ProcessStartInfo("unshare")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in (string[])[.. UnshareArguments, "--", "/bin/sh", "-c", "exit 0"])
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            await Task.WhenAll(output, error).ConfigureAwait(false);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
