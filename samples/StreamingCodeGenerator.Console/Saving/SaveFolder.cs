namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// The <c>--save</c> folder, checked before anything is sent to the model (an answer is billed even when it cannot be
/// saved): it must be a folder, or a path where one can be created, and a file must be creatable in it. Missing folders
/// are created for the check and removed again at the end if nothing was saved in them, so a failed or empty run leaves
/// no trace.
/// </summary>
internal sealed class SaveFolder
{
    private readonly List<string> _created;

    private SaveFolder(string path, List<string> created)
    {
        Path = path;
        _created = created;
    }

    /// <summary>Gets the folder as given on the command line (the summary shows paths under it).</summary>
    public string Path { get; }

    /// <summary>Checks <paramref name="folder"/> and creates it (and any missing parent) if needed.</summary>
    /// <exception cref="ConfigurationException">The path is not a valid folder path, is a file, lies under a file, or cannot be created or written into; the message names it and says why.</exception>
    public static SaveFolder Prepare(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string shown = CommandLineValues.Quote(folder);
        string full;
        try
        {
            full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigurationException($"--save needs a folder path, not {shown}: {CommandLineErrors.OneLine(ex.Message)}", ex);
        }

        if (File.Exists(full))
        {
            throw new ConfigurationException($"--save needs a folder, but {shown} is a file.");
        }

        // The missing folders, innermost first (the order to remove them in).
        var created = new List<string>();
        for (string? missing = full; missing is not null && !Directory.Exists(missing); missing = System.IO.Path.GetDirectoryName(missing))
        {
            if (File.Exists(missing))
            {
                throw new ConfigurationException($"--save cannot create the folder {shown}: {CommandLineValues.Quote(missing)} is a file.");
            }

            created.Add(missing);
        }

        var save = new SaveFolder(folder, created);
        try
        {
            Directory.CreateDirectory(full);
            string probe = System.IO.Path.Combine(full, $".scg-write-check-{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            save.RemoveIfEmpty();
            throw new ConfigurationException($"--save cannot write into the folder {shown}: {CommandLineErrors.OneLine(ex.Message)}", ex);
        }

        return save;
    }

    /// <summary>Removes the folders <see cref="Prepare"/> created that are still empty (nothing was saved in them).</summary>
    public void RemoveIfEmpty()
    {
        foreach (string folder in _created)
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                    continue;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: an empty folder left behind is harmless.
            }

            return;
        }
    }
}
