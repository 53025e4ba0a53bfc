using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>
/// scg on a pseudo-terminal: colours and the live status line appear there, and nowhere else (the redirected runs in
/// the other fixtures assert no escape code at all).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TerminalTests
{
    private const string StatusRow = "\u001bD\u001bM\u001b7\u001bD\r\u001b[2K";

    [SetUp]
    public void RequireScript()
    {
        if (!PseudoTerminal.IsAvailable)
        {
            Assert.Ignore("util-linux script is not installed");
        }
    }

    [Test]
    public async Task Terminal_NoPrompt_AsksOffersTheDefaultThenStreamsInColourWithAStatusLine()
    {
        using var home = new TempDirectory();
        var release = new TaskCompletionSource();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script(holdAfterIntro: release.Task));
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("--endpoint", server.Endpoint.AbsoluteUri), ScgProcess.Environment(home.Path), home.Path);

        await terminal.WaitForOutputAsync(output => output.Contains(PromptReader.DefaultPrompt, StringComparison.Ordinal));
        terminal.WriteInput("\r");
        // The server holds the rest of the answer until the status line shows the first chunk's tokens.
        await terminal.WaitForOutputAsync(output => output.Contains(" tokens · ", StringComparison.Ordinal));
        release.SetResult();
        ScgProcess.Result run = await terminal.WaitAsync();

        run.ExitCode.Should().Be(0, run.Output);
        server.Requests.Single().Messages.Last().Content.Should().Be(PromptReader.DefaultPrompt);
        string screen = run.Output;
        screen.Should().Contain("What should I write?");
        screen.Should().Contain(AnswerStyle.Header + "```python title=sort.py\r\n" + AnswerStyle.Reset, "the opening fence, with language and file name, is a header");
        screen.Should().Contain(AnswerStyle.Code, "code has its colour");
        screen.Should().Contain(StatusRow).And.Contain(" tokens · ").And.Contain(" tok/s · first chunk ").And.Contain("attempt 1");
        screen.Should().Contain(StatusLineRenderer.HideCursor).And.Contain(StatusLineRenderer.ShowCursor);
        screen.IndexOf(StatusLineRenderer.ShowCursor, StringComparison.Ordinal).Should().BeLessThan(screen.IndexOf("Done", StringComparison.Ordinal), "the status line is gone before the summary");
        PseudoTerminal.StripScgCodes(screen).Should().Contain(Answers.Text.Replace("\n", "\r\n", StringComparison.Ordinal), "the text is written once, exactly, around the codes");
    }

    [Test]
    public async Task Terminal_CtrlCAtTheQuestion_ExitsWith130WithoutSendingAnything()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("never\n"));
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("--endpoint", server.Endpoint.AbsoluteUri), ScgProcess.Environment(home.Path), home.Path);

        await terminal.WaitForOutputAsync(output => output.Contains(PromptReader.DefaultPrompt, StringComparison.Ordinal));
        terminal.WriteInput("\u0003");
        ScgProcess.Result run = await terminal.WaitAsync();

        run.ExitCode.Should().Be(130, run.Output);
        run.Output.Should().Contain("scg:").And.Contain("Cancelled.");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Terminal_OutputRedirectedToAFile_FileIsPlainWhileTheStatusLineIsOnStandardError()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());
        string file = home.Combine("answer.md");
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("Sort it", "--endpoint", server.Endpoint.AbsoluteUri) + " > " + PseudoTerminal.Quote(file), ScgProcess.Environment(home.Path), home.Path);

        ScgProcess.Result run = await terminal.WaitAsync();

        run.ExitCode.Should().Be(0, run.Output);
        File.ReadAllText(file).Should().Be(Answers.Text);
        run.Output.Should().Contain(StatusRow).And.Contain("attempt 1").And.Contain("Done");
        run.Output.Should().NotContain("def bubble_sort", "the answer went to the file only");
    }

    [Test]
    public async Task Terminal_NoColor_StillShowsTheStatusLineButNoColours()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("Sort it", "--no-color", "--endpoint", server.Endpoint.AbsoluteUri), ScgProcess.Environment(home.Path), home.Path);

        ScgProcess.Result run = await terminal.WaitAsync();

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().Contain(StatusRow).And.NotContain(AnswerStyle.Code).And.NotContain(AnswerStyle.Header).And.NotContain("\u001b[1;38");
    }
}
