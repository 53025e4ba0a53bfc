namespace StreamingCodeGeneration.Tests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeFilePathTests
{
    [TestCase("sort.py", "sort.py")]
    [TestCase("./src/app/main.py", "src/app/main.py")]
    [TestCase("././a.cs", "a.cs")]
    [TestCase("src\\App.cs", "src/App.cs")]
    [TestCase("  spaced name.txt ", "spaced name.txt")]
    [TestCase(".github/workflows/ci.yml", ".github/workflows/ci.yml")]
    [TestCase("a/.gitignore", "a/.gitignore")]
    [TestCase("notes...txt", "notes...txt")]
    public void TryNormalize_RelativeName_IsAcceptedInSlashForm(string fileName, string expected)
    {
        CodeFilePath.TryNormalize(fileName, out string? relative, out string? reason).Should().BeTrue(reason);

        relative.Should().Be(expected);
    }

    [TestCase("", "it is empty")]
    [TestCase("   ", "it is empty")]
    [TestCase("a\u0000b", "control character")]
    [TestCase("x\n.py", "control character")]
    [TestCase("/etc/passwd", "absolute")]
    [TestCase("\\\\server\\share\\x", "absolute")]
    [TestCase("C:\\Windows\\x.cs", "absolute")]
    [TestCase("c:relative", "absolute")]
    [TestCase("~/.ssh/authorized_keys", "absolute")]
    [TestCase("notes.txt:hidden", "':'")]
    [TestCase("../x.py", "'..' would leave the folder")]
    [TestCase("a/../../x.py", "'..' would leave the folder")]
    [TestCase("src\\..\\..\\x", "'..' would leave the folder")]
    [TestCase("a//b.py", "empty or '.' part")]
    [TestCase("a/./b.py", "empty or '.' part")]
    [TestCase("a/", "empty or '.' part")]
    [TestCase(".git/config", ".git/")]
    [TestCase("sub/.GIT/hooks/pre-commit", ".git/")]
    [TestCase(".git./config", ".git/")]
    [TestCase(".git /config", ".git/")]
    [TestCase("GIT~1/config", ".git/")]
    public void TryNormalize_HostileName_IsRefusedWithTheReason(string fileName, string reason)
    {
        CodeFilePath.TryNormalize(fileName, out string? relative, out string? refusal).Should().BeFalse();

        relative.Should().BeNull();
        refusal.Should().Contain(reason);
    }

    [Test]
    public void TryResolve_PlainPath_IsTheFullPathInsideTheFolder()
    {
        string folder = NewFolder();

        CodeFilePath.TryResolve(folder + Path.DirectorySeparatorChar, "src/app.py", out string? full, out string? reason).Should().BeTrue(reason);

        full.Should().Be(Path.Combine(folder, "src", "app.py"));
    }

    [Test]
    public void TryResolve_PathThroughASymlinkedFolder_IsRefused()
    {
        string folder = NewFolder();
        string elsewhere = NewFolder();
        Directory.CreateSymbolicLink(Path.Combine(folder, "link"), elsewhere);

        CodeFilePath.TryResolve(folder, "link/new.txt", out string? full, out string? reason).Should().BeFalse();

        full.Should().BeNull();
        reason.Should().Contain("'link' is a symbolic link");
    }

    [Test]
    public void TryResolve_DanglingLinkAsTheFile_IsRefused()
    {
        string folder = NewFolder();
        File.CreateSymbolicLink(Path.Combine(folder, "a.py"), "/nonexistent/target.py");

        CodeFilePath.TryResolve(folder, "a.py", out _, out string? reason).Should().BeFalse();

        reason.Should().Contain("'a.py' is a symbolic link");
    }

    [Test]
    public void TryResolve_AnUncheckedClimb_IsRefused()
    {
        string folder = NewFolder();

        CodeFilePath.TryResolve(folder, "../outside.txt", out _, out string? reason).Should().BeFalse();

        reason.Should().Be("it resolves outside the folder");
    }

    // One folder per fixture run, a subfolder per call; removed at the end (links are deleted, not followed).
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "scg-path-" + Guid.NewGuid().ToString("N"));

    [OneTimeTearDown]
    public void RemoveFolders()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static string NewFolder() => Directory.CreateDirectory(Path.Combine(Root, Guid.NewGuid().ToString("N"))).FullName;
}
