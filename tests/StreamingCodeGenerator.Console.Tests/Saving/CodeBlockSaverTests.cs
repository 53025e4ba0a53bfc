using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

namespace StreamingCodeGeneration.Samples.Console.Tests.Saving;

[Parallelizable(ParallelScope.All)]
public sealed class CodeBlockSaverTests
{
    [TestCase("sort.py", "sort.py")]
    [TestCase("./src/app/main.py", "src/app/main.py")]
    [TestCase("src\\App.cs", "src/App.cs")]
    [TestCase("  spaced name.txt ", "spaced name.txt")]
    public void Normalize_RelativeName_IsKept(string name, string expected) =>
        CodeBlockSaver.Normalize(name).Should().Be(expected);

    [TestCase("../x.py", "'..' would leave the folder")]
    [TestCase("a/../../x.py", "'..' would leave the folder")]
    [TestCase("/etc/passwd.txt", "it is an absolute path")]
    [TestCase("C:\\Windows\\x.cs", "it is an absolute path")]
    [TestCase("~/x.sh", "it is an absolute path")]
    [TestCase("a//b.py", "it has an empty or '.' part")]
    [TestCase(".git/config.py", "files under .git/ belong to git")]
    [TestCase("x\n.py", "it contains a control character")]
    [TestCase("", "it is empty")]
    public void Normalize_HostileName_IsRefused(string name, string reason) =>
        FluentActions.Invoking(() => CodeBlockSaver.Normalize(name)).Should().Throw<UnsafeFileNameException>().Which.Message.Should().Contain(reason);

    [Test]
    public void Save_SameNameTwice_TheLaterBlockWins()
    {
        using var folder = new TempDirectory();

        IReadOnlyList<SavedFile> saved = CodeBlockSaver.Save(folder.Path, [Block(0, "v1\n", "a.py"), Block(1, "v2\n", "a.py"), Block(2, "echo\n", null, "bash")]);

        saved.Select(file => file.RelativePath).Should().Equal("a.py", "a.py", "block-3.sh");
        File.ReadAllText(folder.Combine("a.py")).Should().Be("v2\n");
        File.ReadAllText(folder.Combine("block-3.sh")).Should().Be("echo\n");
    }

    [Test]
    public void Save_DanglingLinkAsTheFile_IsRefused()
    {
        using var folder = new TempDirectory();
        File.CreateSymbolicLink(folder.Combine("a.py"), "/nonexistent/target.py");

        FluentActions.Invoking(() => CodeBlockSaver.Save(folder.Path, [Block(0, "x", "a.py")]))
            .Should().Throw<UnsafeFileNameException>().Which.Message.Should().Contain("'a.py' is a symbolic link");
    }

    [TestCase("C#", ".cs")]
    [TestCase("python", ".py")]
    [TestCase("TypeScript", ".ts")]
    [TestCase(null, ".txt")]
    [TestCase("klingon", ".txt")]
    public void LanguageExtensions_For_MapsFenceLanguages(string? language, string extension) =>
        LanguageExtensions.For(language).Should().Be(extension);

    private static CodeBlock Block(int index, string code, string? fileName, string language = "python") =>
        new(index, language, code, fileName, language, isTerminated: true);
}
