using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Safety;

[Parallelizable(ParallelScope.All)]
public sealed class RepositoryPathTests
{
    [TestCase("src/app.py", "src/app.py")]
    [TestCase("./src/app.py", "src/app.py")]
    [TestCase("src\\app.py", "src/app.py")]
    [TestCase("  README  ", "README")]
    [TestCase(".github/workflows/ci.yml", ".github/workflows/ci.yml")]
    [TestCase("a/.gitignore", "a/.gitignore")]
    [TestCase("notes...txt", "notes...txt")]
    public void Normalize_RelativePath_ReturnsTheRepositoryForm(string candidate, string expected) =>
        RepositoryPath.Normalize(candidate).Should().Be(expected);

    [TestCase("/etc/passwd", "absolute")]
    [TestCase("\\\\server\\share\\x", "absolute")]
    [TestCase("C:\\Windows\\x", "absolute")]
    [TestCase("c:relative", "absolute")]
    [TestCase("~/.ssh/authorized_keys", "absolute")]
    [TestCase("../outside.txt", "'..'")]
    [TestCase("src/../../outside.txt", "'..'")]
    [TestCase("src\\..\\..\\x", "'..'")]
    [TestCase(".git/config", ".git/")]
    [TestCase("sub/.GIT/hooks/pre-commit", ".git/")]
    [TestCase(".git./config", ".git/")]
    [TestCase("GIT~1/config", ".git/")]
    [TestCase("a//b", "empty")]
    [TestCase("a/./b", "empty")]
    [TestCase("", "empty")]
    [TestCase("a\u0000b", "control")]
    [TestCase("a\nb", "control")]
    public void Normalize_UnsafePath_IsRefusedWithTheReason(string candidate, string reason)
    {
        Action normalize = () => RepositoryPath.Normalize(candidate);

        UnsafePathException refused = normalize.Should().Throw<UnsafePathException>().Which;
        refused.Reason.Should().Contain(reason);
        refused.Message.Should().Contain("nothing was written");
    }

    [Test]
    public void EnsureInsideTree_PathThroughASymlinkedFolder_IsRefused()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("repo");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(temp.Combine("elsewhere"));
        Directory.CreateSymbolicLink(Path.Combine(root, "link"), temp.Combine("elsewhere"));

        Action check = () => RepositoryPath.EnsureInsideTree(root, "link/new.txt", "link/new.txt");

        check.Should().Throw<UnsafePathException>().Which.Reason.Should().Contain("'link' is a symbolic link");
    }

    [Test]
    public void EnsureInsideTree_SymlinkFileAndDanglingLink_AreRefused()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("repo");
        Directory.CreateDirectory(root);
        File.WriteAllText(temp.Combine("secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(root, "file-link"), temp.Combine("secret.txt"));
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), temp.Combine("does-not-exist"));

        ((Action)(() => RepositoryPath.EnsureInsideTree(root, "file-link", "file-link"))).Should().Throw<UnsafePathException>();
        ((Action)(() => RepositoryPath.EnsureInsideTree(root, "dangling", "dangling"))).Should().Throw<UnsafePathException>();
    }

    [Test]
    public void EnsureInsideTree_NewFileInNewFolders_Passes()
    {
        using var temp = new TempDirectory();

        Action check = () => RepositoryPath.EnsureInsideTree(temp.Path, "a/b/c.txt", "a/b/c.txt");

        check.Should().NotThrow();
    }
}
