using System.Text;

namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>A real git repository in a temporary folder, isolated from the machine's git configuration.</summary>
public sealed class GitRepository : IDisposable
{
    private static readonly Dictionary<string, string?> Isolated = new()
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = "Test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.invalid",
        ["GIT_COMMITTER_NAME"] = "Test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.invalid",
    };

    private readonly TempDirectory _directory = new();

    private GitRepository()
    {
        Root = _directory.Combine("repo");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A folder beside the repository, for things that must stay outside it.</summary>
    public string Outside => _directory.Path;

    /// <summary>Creates a repository with these files (exact text, written as UTF-8 without a byte order mark) committed.</summary>
    public static async Task<GitRepository> CreateAsync(IReadOnlyDictionary<string, string> files)
    {
        var repository = new GitRepository();
        await repository.GitAsync("init", "-q", "-b", "main");
        await repository.GitAsync("config", "core.autocrlf", "false");
        foreach ((string path, string text) in files)
        {
            repository.Write(path, text);
        }

        await repository.CommitAsync("initial");
        return repository;
    }

    public void Write(string path, string text) => WriteBytes(path, new UTF8Encoding(false).GetBytes(text));

    public void WriteBytes(string path, byte[] bytes)
    {
        string full = FullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    public string Read(string path) => new UTF8Encoding(false).GetString(File.ReadAllBytes(FullPath(path)));

    public bool Exists(string path) => File.Exists(FullPath(path));

    public string FullPath(string path) => System.IO.Path.Combine(Root, path);

    public async Task CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "--allow-empty", "-m", message);
    }

    public async Task<string> HeadAsync() => (await GitAsync("rev-parse", "HEAD")).Trim();

    public async Task<string> StatusAsync() => await GitAsync("status", "--porcelain", "--untracked-files=all");

    /// <summary>Runs <c>git apply --check</c> with the diff on standard input; returns git's exit code and words.</summary>
    public Task<ProcessRunner.Result> ApplyCheckAsync(string diff) => TryGitAsync(diff, "apply", "--check", "-");

    /// <summary>Applies the diff for real and fails the test when git refuses it.</summary>
    public async Task ApplyAsync(string diff)
    {
        ProcessRunner.Result result = await TryGitAsync(diff, "apply", "-");
        result.ExitCode.Should().Be(0, $"git apply should accept the diff: {result.Error}\n{diff}");
    }

    public async Task<string> GitAsync(params string[] arguments)
    {
        ProcessRunner.Result result = await TryGitAsync(null, arguments);
        result.ExitCode.Should().Be(0, $"git {string.Join(' ', arguments)} failed: {result.Error}");
        return result.Output;
    }

    public Task<ProcessRunner.Result> TryGitAsync(string? input, params string[] arguments) =>
        ProcessRunner.RunAsync("git", arguments, Root, Isolated, input);

    public void Dispose() => _directory.Dispose();
}
