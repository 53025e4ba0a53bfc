using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary>
/// A model or a service that answers with terminal control sequences (set the title, write the clipboard, clear the
/// screen, 8-bit CSI, DCS, bell, backspace, a carriage return that would overwrite a line, a right-to-left override):
/// on a terminal (a real pseudo-terminal, util-linux <c>script</c>) every program shows them visibly; redirected, the
/// text is exactly what arrived.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ControlSequenceTests
{
    /// <summary>OSC 0 (title), OSC 52 (clipboard), BEL, BS, C1 CSI, RLO/PDF, DCS with its ST.</summary>
    private const string HostileLine =
        "Title\u001b]0;pwned\u0007 clip\u001b]52;c;cHduZWQ=\u0007 bell\u0007 back\b csi\u009b31m rlo\u202Eevil\u202C dcs\u001bP1$r\u001b\\\n";

    private const string VisibleLine =
        "Title^[]0;pwned^G clip^[]52;c;cHduZWQ=^G bell^G back^H csi\\u009B31m rlo\\u202Eevil\\u202C dcs^[P1$r^[\\\n";

    /// <summary>Streamed in pieces: a CRLF split across two pieces stays a line ending; a lone CR does not return to the line start.</summary>
    private static readonly string[] Pieces = [HostileLine, "line one\r", "\nline two\r", "overwritten\n", "```python\nprint('\u001b[2J')\n```\n"];

    private static string Answer => string.Concat(Pieces);

    [SetUp]
    public void RequireScript()
    {
        if (!PseudoTerminal.IsAvailable)
        {
            Assert.Ignore("util-linux script is not installed");
        }
    }

    [Test]
    public async Task Scg_Terminal_ShowsControlSequencesVisiblyAndKeepsItsOwnColoursAndStatusLine()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Pieces));
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("x", "--endpoint", server.Endpoint.AbsoluteUri), ScgProcess.Environment(home.Path), home.Path);

        ScgProcess.Result run = await terminal.WaitAsync();

        run.ExitCode.Should().Be(0, run.Output);
        ShouldHaveNoActiveControls(run.Output);
        string text = Lines(PseudoTerminal.StripScgCodes(run.Output));
        text.Should().Contain(VisibleLine + "line one\nline two^Moverwritten\n```python\nprint('^[[2J')\n```\n");
        run.Output.Should().Contain(AnswerStyle.Code + "print('^[[2J')", "scg's own colours still work around the visible text");
        run.Output.Should().Contain("\u001bD\u001bM\u001b7\u001bD\r\u001b[2K").And.Contain("attempt 1", "the status line still works");
    }

    [Test]
    public async Task Scg_Redirected_WritesTheAnswerByteForByte()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Pieces));

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be(Answer);
    }

    [Test]
    public async Task Scg_TerminalWithOutputToAFile_FileIsExactWhileTheTerminalShowsTheSummaryVisibly()
    {
        using var home = new TempDirectory();
        // A code block whose language has a right-to-left override in it: the summary shows the language.
        const string named = "```evil\u202Elang\nprint(1)\n```\n";
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(HostileLine, named));
        string file = home.Combine("answer.md");
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("x", "--endpoint", server.Endpoint.AbsoluteUri) + " > " + PseudoTerminal.Quote(file), ScgProcess.Environment(home.Path), home.Path);

        ScgProcess.Result run = await terminal.WaitAsync();

        run.ExitCode.Should().Be(0, run.Output);
        File.ReadAllText(file).Should().Be(HostileLine + named);
        ShouldHaveNoActiveControls(run.Output);
        Flat(run.Output).Should().Contain("block 1 (evil\\u202Elang, 1 lines)");
    }

    [Test]
    public async Task Scg_ServerErrorWithControlSequences_TerminalShowsThemVisiblyRedirectedKeepsThem()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Error(400, "Bad \u001b]0;pwned\u0007 value \u009b2J."));
        using ScgProcess terminal = PseudoTerminal.Start(
            PseudoTerminal.Scg("x", "--endpoint", server.Endpoint.AbsoluteUri), ScgProcess.Environment(home.Path), home.Path);

        ScgProcess.Result onTerminal = await terminal.WaitAsync();
        ScgProcess.Result redirected = await ScgProcess.RunAsync(["x", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        onTerminal.ExitCode.Should().Be(1, onTerminal.Output);
        ShouldHaveNoActiveControls(onTerminal.Output);
        Flat(onTerminal.Output).Should().Contain("Bad ^[]0;pwned^G value \\u009B2J.");
        redirected.ExitCode.Should().Be(1);
        redirected.Error.Should().Contain("Bad \u001b]0;pwned\u0007 value \u009b2J.");
    }

    [Test]
    public async Task Transform_Terminal_ShowsTheDiffVisiblyRedirectedWritesItExactly()
    {
        using var home = new TempDirectory();
        string repository = home.Combine("repo");
        Directory.CreateDirectory(repository);
        File.WriteAllText(Path.Combine(repository, "app.py"), "print('hi')\n");
        const string content = "print('\u001b]0;pwned\u0007 \u001b]52;c;cHduZWQ=\u0007 \u009b2J \u001b[2J')\n";
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer("I make the change.\n\n```python path=app.py\n" + content + "```\nDone.\n"));
        string[] arguments = ["--repo", repository, "--prompt", "x", "--reflect", "0", "--history", home.Combine("history.db"), "--endpoint", server.Endpoint.AbsoluteUri];
        using ScgProcess terminal = PseudoTerminal.Start(PseudoTerminal.Command(CliProgram.Transform.AssemblyPath, arguments), ScgProcess.Environment(home.Path), home.Path);

        ScgProcess.Result onTerminal = await terminal.WaitAsync();
        ScgProcess.Result redirected = await CliProgram.Transform.RunAsync(arguments, ScgProcess.Environment(home.Path), home.Path);

        onTerminal.ExitCode.Should().Be(0, onTerminal.Output);
        ShouldHaveNoActiveControls(onTerminal.Output, allowCsi: true);
        Flat(onTerminal.Output).Should().Contain("+print('^[]0;pwned^G ^[]52;c;cHduZWQ=^G \\u009B2J ^[[2J')");
        redirected.ExitCode.Should().Be(0, redirected.Error);
        redirected.Output.Should().Contain("+" + content);
    }

    [Test]
    public async Task ApiClient_Terminal_ShowsTheAnswerAndTheErrorVisiblyRedirectedWritesThemExactly()
    {
        using var home = new TempDirectory();
        const string body = "Answer \u001b]0;pwned\u0007 \u009b2J \u001b[2J done\n";
        await using OpenAITestServer answering = await OpenAITestServer.StartAsync(Respond.Status(200, body, "text/plain; charset=utf-8"));
        await using OpenAITestServer refusing = await OpenAITestServer.StartAsync(Respond.Status(400, "{\"error\":\"no \u001b]52;c;cHduZWQ=\u0007\"}"));
        string[] answer = ["--base-url", answering.BaseAddress.AbsoluteUri, "--test", "normal"];
        string[] refused = ["--base-url", refusing.BaseAddress.AbsoluteUri, "--test", "invalid"];

        using ScgProcess answerTerminal = PseudoTerminal.Start(PseudoTerminal.Command(CliProgram.ApiClient.AssemblyPath, answer), ScgProcess.Environment(home.Path), home.Path);
        ScgProcess.Result answerOnTerminal = await answerTerminal.WaitAsync();
        using ScgProcess refusedTerminal = PseudoTerminal.Start(PseudoTerminal.Command(CliProgram.ApiClient.AssemblyPath, refused), ScgProcess.Environment(home.Path), home.Path);
        ScgProcess.Result refusedOnTerminal = await refusedTerminal.WaitAsync();
        ScgProcess.Result answerRedirected = await CliProgram.ApiClient.RunAsync(answer, ScgProcess.Environment(home.Path), home.Path);
        ScgProcess.Result refusedRedirected = await CliProgram.ApiClient.RunAsync(refused, ScgProcess.Environment(home.Path), home.Path);

        answerOnTerminal.ExitCode.Should().Be(0, answerOnTerminal.Output);
        ShouldHaveNoActiveControls(answerOnTerminal.Output);
        Flat(answerOnTerminal.Output).Should().Contain("Answer ^[]0;pwned^G \\u009B2J ^[[2J done");
        refusedOnTerminal.ExitCode.Should().Be(1, refusedOnTerminal.Output);
        ShouldHaveNoActiveControls(refusedOnTerminal.Output);
        Flat(refusedOnTerminal.Output).Should().Contain("Error: 400 - {\"error\":\"no ^[]52;c;cHduZWQ=^G\"}");
        answerRedirected.Output.Should().Contain(body);
        refusedRedirected.Error.Should().Be("Error: 400 - {\"error\":\"no \u001b]52;c;cHduZWQ=\u0007\"}\n");
    }

    /// <summary>No OSC, DCS, clear screen, BEL, backspace, C1 control or bidirectional override reached the terminal (the programs' own SGR and cursor codes may).</summary>
    private static void ShouldHaveNoActiveControls(string screen, bool allowCsi = false)
    {
        screen.Should().NotContain("\u001b]").And.NotContain("\u001bP").And.NotContain("\u0007").And.NotContain("\b");
        screen.Should().NotContain("\u009b").And.NotContain("\u202E").And.NotContain("\u202C");
        if (!allowCsi)
        {
            screen.Should().NotContain("\u001b[2J");
        }
    }

    /// <summary>The screen without line breaks: messages wrap at the terminal's width.</summary>
    private static string Flat(string screen) => screen.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);

    /// <summary>The pseudo-terminal turns each line feed into CR LF: back to line feeds.</summary>
    private static string Lines(string screen) => screen.Replace("\r\r\n", "\n", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
}
