namespace StreamingCodeGeneration.Benchmarks;

/// <summary>Where things are in the repository, found from this program's location (or the working directory).</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string?> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding StreamingCodeGenerator.sln), or null when run from elsewhere.</summary>
    public static string? Root => s_root.Value;

    public static string Benchmarks => Path.Combine(Root ?? Environment.CurrentDirectory, "benchmarks");

    public static string Results => Path.Combine(Benchmarks, "results");

    public static string TokenizerScripts => Path.Combine(Benchmarks, "tokenizer");

    /// <summary>The build configuration this program was built in (Release or Debug), to find sibling outputs.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private static string? FindRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "StreamingCodeGenerator.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
