namespace StreamingCodeGeneration.TestSupport;

/// <summary>
/// Where things are in this repository, seen from a test's output folder (<c>tests/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;</c>).
/// Used by each test project that runs built programs or reads committed files.
/// </summary>
public static class RepositoryLayout
{
    /// <summary>Gets the repository root: the nearest folder above the test's output that holds StreamingCodeGenerator.sln.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "StreamingCodeGenerator.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("The repository root (StreamingCodeGenerator.sln) was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Gets the path of a project's built assembly in the test's own configuration and target framework:
    /// <c>&lt;root&gt;/&lt;projectFolder&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/&lt;assemblyFile&gt;</c>.
    /// </summary>
    public static string BuiltAssembly(string projectFolder, string assemblyFile)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Root, projectFolder, "bin", output.Parent!.Name, output.Name, assemblyFile);
    }
}
