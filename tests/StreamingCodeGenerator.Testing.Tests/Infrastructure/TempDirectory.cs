namespace StreamingCodeGeneration.Testing.Tests.Infrastructure;

/// <summary>A fresh directory under the temp folder, deleted on dispose (one per test, so parallel tests never share one).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "StreamingCodeGenerator.Testing.Tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
