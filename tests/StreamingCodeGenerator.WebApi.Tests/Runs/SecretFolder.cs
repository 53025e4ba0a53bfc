namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// A folder on the server's disk that a caller must never reach: a file with a unique name and contents, and a git
/// repository (so it would be cloned or read if a spelling got through).
/// </summary>
public sealed class SecretFolder : IDisposable
{
    private readonly TestRepository _repository;

    private SecretFolder(TestRepository repository, string fileName, string contents)
    {
        _repository = repository;
        FileName = fileName;
        Contents = contents;
    }

    public string Path => _repository.Root;

    public string FileName { get; }

    public string Contents { get; }

    /// <summary>A model answer that deletes the secret file, so its contents would land in the stored diff.</summary>
    public string DeletingAnswer => $"I delete it.\n\n```delete path={FileName}\n```\n";

    public static async Task<SecretFolder> CreateAsync()
    {
        string id = Guid.NewGuid().ToString("N");
        string name = $"secret-{id[..12]}.txt";
        string contents = $"TOP-SECRET-{id}\n";
        TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { [name] = contents });
        return new SecretFolder(repository, name, contents);
    }

    /// <summary>Fails when the text holds the secret file's name or contents.</summary>
    public void AssertNothingOf(string text)
    {
        text.Should().NotContain(FileName, "no file name of the target folder may come back");
        text.Should().NotContain(Contents.Trim(), "no contents of the target folder may come back");
    }

    public void Dispose() => _repository.Dispose();
}
