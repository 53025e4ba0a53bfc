using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary><c>--out</c>, checked before the model is asked: the diff must be writable there, or the (billed) run would be lost at the end.</summary>
internal static class OutputFile
{
    /// <exception cref="ConfigurationException">The path is a folder, its folder does not exist, or the file cannot be created or written; the message names it and says why.</exception>
    public static void Check(FileInfo file)
    {
        string shown = CommandLineValues.Quote(file.ToString());
        if (Directory.Exists(file.FullName))
        {
            throw new ConfigurationException($"--out needs a file, but {shown} is a folder.");
        }

        if (file.Directory is not { Exists: true } folder)
        {
            throw new ConfigurationException($"--out cannot be written: the folder of {shown} does not exist (or is a file).");
        }

        try
        {
            // An existing file is opened for writing without being changed; a new one is created and removed at once.
            using FileStream probe = file.Exists
                ? new FileStream(file.FullName, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)
                : new FileStream(file.FullName, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"--out cannot be written in {CommandLineValues.Quote(folder.FullName)}: {CommandLineErrors.OneLine(ex.Message)}", ex);
        }
    }
}
