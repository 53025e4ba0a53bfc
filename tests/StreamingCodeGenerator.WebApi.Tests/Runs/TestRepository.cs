using System.Diagnostics;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>A git repository with committed files in a temporary folder, made with the real git and no machine configuration.</summary>
public sealed class TestRepository : IDisposable
{
    private TestRepository(string root) => Root = root;

    /// <summary>The work tree (its <c>.git</c> folder is what a git server serves).</summary>
    public string Root { get; }

    /// <summary>The folder as a <c>file://</c> URL.</summary>
    public string FileUrl => new Uri(Root).AbsoluteUri;

    public static async Task<TestRepository> CreateAsync(IReadOnlyDictionary<string, byte[]> files)
    {
        string root = Path.Combine(Path.GetTempPath(), "scg-run-repo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        foreach ((string path, byte[] bytes) in files)
        {
            string full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, bytes);
        }

        foreach (string[] git in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-q", "--allow-empty", "-m", "initial"] })
        {
            await GitAsync(root, git);
        }

        return new TestRepository(root);
    }

    public static Task<TestRepository> CreateAsync(IReadOnlyDictionary<string, string> files) =>
        CreateAsync(files.ToDictionary(f => f.Key, f => System.Text.Encoding.UTF8.GetBytes(f.Value)));

    private static async Task GitAsync(string root, string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
