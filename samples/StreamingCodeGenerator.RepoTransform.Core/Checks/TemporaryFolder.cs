namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Removes a temporary folder a run made, also when what ran in it left read-only files or folders behind.</summary>
internal static class TemporaryFolder
{
    public static void Delete(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A check (or git) left something read-only: make everything writable, then try once more.
        }

        var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder, "*", all).Prepend(folder))
        {
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    File.SetAttributes(entry, FileAttributes.Normal);
                }
                else if (!RepositoryPath.IsLink(entry))
                {
                    File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the system's temporary-folder cleanup; nothing in it is the caller's.
        }
    }
}
