using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary><c>--save</c>: each code block to a file in the folder; model-written names that would leave it are refused.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SaveTests
{
    [Test]
    public async Task Save_NamedAndUnnamedBlocks_WritesEachUnderItsNameOrBlockN()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script(fileName: "src/sort.py"));
        string folder = home.Combine("out");

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", folder, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        File.ReadAllText(Path.Combine(folder, "src", "sort.py")).Should().Be(Answers.SortCode);
        File.ReadAllText(Path.Combine(folder, "block-2.py")).Should().Be(Answers.UsageCode);
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Should().HaveCount(2);
        run.Error.Should().Contain($"Saved: {Path.Combine(folder, "src/sort.py")}, {Path.Combine(folder, "block-2.py")}");
    }

    [TestCase("../escaped.py")]
    [TestCase("src/../../escaped.py")]
    [TestCase("/tmp/scg-escaped.py")]
    [TestCase("..\\escaped.py")]
    [TestCase(".git/hooks/pre-commit.sample")]
    public async Task Save_EscapingFileName_IsRefusedWithTwoAndNothingIsWritten(string fileName)
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("Here:\n\n").CodeBlock("python", "print('safe')\n", "ok.py").CodeBlock("python", "print('owned')\n", fileName).Finish().Done());
        string folder = home.Combine("out");

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", folder, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Output.Should().Contain("print('owned')", "the answer itself is still shown");
        run.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith($"scg: Refused to save '{fileName}': ").And.EndWith("; nothing was saved.");
        Directory.Exists(folder).Should().BeFalse("nothing is written when one name is refused");
        File.Exists(home.Combine("escaped.py")).Should().BeFalse();
        File.Exists("/tmp/scg-escaped.py").Should().BeFalse();
    }

    [Test]
    public async Task Save_ThroughASymbolicLink_IsRefused()
    {
        using var home = new TempDirectory();
        using var outside = new TempDirectory();
        string folder = home.Combine("out");
        Directory.CreateDirectory(folder);
        Directory.CreateSymbolicLink(Path.Combine(folder, "link"), outside.Path);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            new SseScript().Role().CodeBlock("python", "print('owned')\n", "link/evil.py").Finish().Done());

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", folder, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Contain("'link' is a symbolic link");
        Directory.GetFiles(outside.Path).Should().BeEmpty();
    }

    [Test]
    public async Task Save_PathIsAFile_FailsBeforeAnythingIsSent()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());
        string file = home.Combine("notes.txt");
        File.WriteAllText(file, "keep me\n");

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", file, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Be($"scg: --save needs a folder, but '{file}' is a file.\n");
        run.Output.Should().BeEmpty();
        server.RequestCount.Should().Be(0, "an answer that cannot be saved is not asked for (it would be billed)");
        File.ReadAllText(file).Should().Be("keep me\n");
    }

    [Test]
    public async Task Save_FolderUnderAFile_FailsBeforeAnythingIsSent()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());
        string file = home.Combine("notes.txt");
        File.WriteAllText(file, "keep me\n");

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", Path.Combine(file, "src"), "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Be($"scg: --save cannot create the folder '{Path.Combine(file, "src")}': '{file}' is a file.\n");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Save_FolderThatCannotBeCreated_FailsBeforeAnythingIsSent()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());
        // /proc refuses new folders even to root.
        const string folder = "/proc/scg-cannot-create/out";

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", folder, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith($"scg: --save cannot write into the folder '{folder}': ");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Save_AnswerWithoutCode_LeavesNoNewFolder()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("No code needed.\n"));
        string folder = home.Combine("new", "out");

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--save", folder, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().Contain("Saved: nothing");
        Directory.Exists(home.Combine("new")).Should().BeFalse("the folders made to check --save are removed when nothing was saved in them");
    }
}
