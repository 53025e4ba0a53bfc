using System.Reflection;
using System.Text;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The offline demo of the repository transform: a small example repository (a Python module and its tests), a fixed
/// prompt, and the model's recorded answers to it — the generation and a <c>[CONFIDENT]</c> review — as
/// <c>sse-transcript/1</c> JSON Lines that a loopback server replays (the command line uses the Testing package's
/// <c>OpenAITestServer</c> and <c>Respond.Replay</c>, as the other samples' demos do). The answers are shaped like
/// gpt-4o-mini's stream (one token per event, usage last) rather than captured from the API; the generation says it is
/// the demo. Their diff applies to the example repository with <c>git apply</c>, and its tests pass.
/// </summary>
public static class TransformDemo
{
    /// <summary>The prompt the recorded answers answer.</summary>
    public const string Prompt = "Add a celsius_to_kelvin function to temperature.py, with a test.";

    /// <summary>The model name a demo run uses and the history stores, so a demo run is never taken for a real one.</summary>
    public const string Model = "offline-demo";

    /// <summary>A check the example repository passes with the recorded change (Python 3's own test runner).</summary>
    public const string ExampleCheck = "python3 -m unittest";

    private const string Prefix = "demo/";
    private const string ExamplePrefix = Prefix + "example/";

    /// <summary>Gets the example repository's files, by path (<c>/</c> separators), with their exact text.</summary>
    public static IReadOnlyDictionary<string, string> ExampleFiles { get; } = LoadExample();

    /// <summary>Loads the recorded answers, in request order: the generation, then the review.</summary>
    /// <returns>Each answer as <c>sse-transcript/1</c> JSON Lines.</returns>
    public static IReadOnlyList<string> LoadTranscripts() => [Read(Prefix + "generate.sse.jsonl"), Read(Prefix + "review.sse.jsonl")];

    /// <summary>
    /// Writes the example repository into <paramref name="folder"/> and commits it with git (an author of its own, none
    /// of the machine's git configuration), so the demo's diff can be applied and undone there.
    /// </summary>
    /// <param name="folder">A folder that does not exist yet, or is empty.</param>
    /// <param name="git">The git executable.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the repository is committed.</returns>
    /// <exception cref="ArgumentException"><paramref name="folder"/> or <paramref name="git"/> is null, empty or white space.</exception>
    /// <exception cref="RepositoryException">The folder is a file or is not empty, or git failed (or is missing).</exception>
    public static async Task CreateRepositoryAsync(string folder, string git = "git", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(git);
        string root = Path.GetFullPath(folder);
        if (File.Exists(root))
        {
            throw new RepositoryException($"The demo's example repository cannot be written to '{root}': it is a file.");
        }

        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new RepositoryException($"The demo's example repository cannot be written to '{root}': the folder is not empty. Name a new or empty folder.");
        }

        Directory.CreateDirectory(root);
        foreach ((string path, string text) in ExampleFiles)
        {
            string full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        }

        GitEnvironment environment = GitEnvironment.Create(isolated: true)
            .Set("user.name", "scg-transform demo")
            .Set("user.email", "demo@localhost")
            .Set("init.defaultBranch", "main")
            .Set("commit.gpgSign", "false")
            .Set("core.autocrlf", "false");
        foreach (string[] arguments in new[] { new[] { "init", "-q" }, ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "The example repository of scg-transform --demo"] })
        {
            GitResult result = await GitCommand.RunAsync(git, root, arguments, environment, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new RepositoryException($"Could not create the demo's example repository (git {arguments[0]}): {result.FirstErrorLine}");
            }
        }
    }

    private static Dictionary<string, string> LoadExample()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in Assembly.GetManifestResourceNames())
        {
            string normalized = name.Replace('\\', '/');
            if (normalized.StartsWith(ExamplePrefix, StringComparison.Ordinal))
            {
                files[normalized[ExamplePrefix.Length..]] = Read(name);
            }
        }

        return new Dictionary<string, string>(files, StringComparer.Ordinal);
    }

    private static Assembly Assembly => typeof(TransformDemo).Assembly;

    private static string Read(string name)
    {
        using Stream stream = Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
