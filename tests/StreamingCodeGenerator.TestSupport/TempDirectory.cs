namespace StreamingCodeGeneration.TestSupport;

/// <summary>
/// A fresh folder under the system's temporary folder, one per test (so parallel tests never share one), deleted with
/// everything in it on dispose.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("scg-tests-").FullName;
    }

    /// <summary>Gets the folder's full path.</summary>
    public string Path { get; }

    /// <summary>Returns a path inside the folder.</summary>
    /// <param name="parts">The path's parts below the folder.</param>
    /// <returns>The combined path.</returns>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Deletes the folder; a process that still holds a file inside it does not fail the test.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
