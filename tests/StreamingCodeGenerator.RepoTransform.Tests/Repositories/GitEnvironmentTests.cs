using System.Diagnostics;

namespace StreamingCodeGeneration.RepoTransform.Tests.Repositories;

/// <summary>What git sees of its configuration when it runs for a caller who is not the machine's user.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class GitEnvironmentTests
{
    private static async Task<string> ConfigSeenByGitAsync(GitEnvironment environment, IReadOnlyDictionary<string, string> inherited)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("config");
        start.ArgumentList.Add("--list");
        start.ArgumentList.Add("--show-scope");
        foreach ((string name, string value) in inherited)
        {
            start.Environment[name] = value;
        }

        environment.Apply(start);
        using Process process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output + string.Join('\n', start.Environment.Where(e => e.Key.Contains("PROXY", StringComparison.OrdinalIgnoreCase)).Select(e => e.Key));
    }

    [Test]
    public async Task Isolated_ServiceEnvironmentAndConfiguration_CannotSteerGit()
    {
        using var folder = new TempDirectory();
        string global = folder.Combine("gitconfig");
        await File.WriteAllTextAsync(global, "[url \"file:///etc/\"]\n\tinsteadOf = https://github.com/\n[http]\n\tproxy = http://attacker.example:3128\n");
        var inherited = new Dictionary<string, string>
        {
            ["GIT_CONFIG_GLOBAL"] = global,
            ["GIT_CONFIG_PARAMETERS"] = "'http.sslVerify'='false'",
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "protocol.ext.allow",
            ["GIT_CONFIG_VALUE_0"] = "always",
            ["HTTPS_PROXY"] = "http://attacker.example:3128",
            ["no_proxy"] = "*",
        };

        string seen = await ConfigSeenByGitAsync(GitEnvironment.Create(isolated: true).Set("protocol.allow", "never"), inherited);

        seen.Should().Contain("command\tprotocol.allow=never");
        seen.Should().NotContain("insteadof").And.NotContain("attacker").And.NotContain("sslverify").And.NotContain("protocol.ext");
        seen.Should().NotContainAny("HTTPS_PROXY", "no_proxy");
    }

    [Test]
    public async Task Local_UsersOwnEnvironmentConfiguration_StaysAndOursFollowsIt()
    {
        var inherited = new Dictionary<string, string>
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "user.name",
            ["GIT_CONFIG_VALUE_0"] = "Someone",
        };

        string seen = await ConfigSeenByGitAsync(GitEnvironment.Create(isolated: false).Set("protocol.allow", "never"), inherited);

        seen.Should().Contain("command\tuser.name=Someone").And.Contain("command\tprotocol.allow=never");
    }
}
