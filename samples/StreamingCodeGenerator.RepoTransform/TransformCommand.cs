using System.CommandLine;
using System.Text;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>The command line: options, validation, and the two actions (transform, <c>--list</c>).</summary>
internal sealed class TransformCommand
{
    private const string Name = "scg-transform";
    private const int ListedRuns = 20;

    /// <summary>The most review rounds <c>--reflect</c> accepts (each one is a billed request).</summary>
    internal const int MaxReflectionRounds = 10;

    private const int DefaultReflectionRounds = 1;
    private const int DefaultCheckTimeoutSeconds = 300;
    private const int MaxCheckTimeoutSeconds = 86_400;
    private static readonly int DefaultMaxRevisions = new CheckOptions().MaxRevisions;

    private readonly ModelOptions _model = new();

    private readonly Option<string?> _repo = new("--repo")
    {
        Description = "The repository: a local folder, or an https, ssh or file git URL (cloned shallowly into a temporary folder).",
        HelpName = "path|url",
    };

    private readonly Option<string?> _prompt = new("--prompt", "-p")
    {
        Description = "What to change, in words.",
        HelpName = "text",
    };

    private readonly Option<FileInfo?> _out = new("--out", "-o")
    {
        Description = "Write the diff to this file, in an existing folder (default: standard output). Checked before the model is asked.",
        HelpName = "file",
        CustomParser = ParseOutputFile,
    };

    private readonly Option<bool> _apply = new("--apply")
    {
        Description = "Apply the diff to the repository (a local git work tree without uncommitted changes).",
    };

    private readonly Option<int> _reflect = new("--reflect")
    {
        Description = $"Most review rounds, 0 to {MaxReflectionRounds}: [CONFIDENT] ends them, [REVISION NEEDED] revises the files (0 turns review off; default: {DefaultReflectionRounds}).",
        HelpName = "n",
        DefaultValueFactory = _ => DefaultReflectionRounds,
        CustomParser = result => CommandLineValues.WholeNumber(result, 0, MaxReflectionRounds) ?? DefaultReflectionRounds,
    };

    private readonly Option<int> _maxPromptTokens = new("--max-prompt-tokens")
    {
        Description = "Prompt token budget, a whole number from 1: the most relevant files are shown while they fit, the rest are listed as left out (default: 32000).",
        HelpName = "n",
        DefaultValueFactory = _ => RepositoryTransformerOptions.DefaultMaxPromptTokens,
        CustomParser = result => CommandLineValues.WholeNumber(result, 1, int.MaxValue) ?? RepositoryTransformerOptions.DefaultMaxPromptTokens,
    };

    private readonly Option<string?> _history = new("--history")
    {
        Description = "Run history: a SQLite file, or a PostgreSQL connection string (postgres://… or Host=…;). Default: a SQLite file in your data folder.",
        HelpName = "file|connection",
    };

    private readonly Option<bool> _list = new("--list")
    {
        Description = $"Show the {ListedRuns} most recent runs from the history and exit.",
    };

    private readonly Option<string[]> _check = new("--check")
    {
        Description = "A command that checks the change, such as \"python3 -m py_compile app.py\" or \"dotnet build\" (repeatable; run in order through the shell in a temporary copy of the repository with the diff applied; a failure's output goes back to the model for a revision).",
        HelpName = "command",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<int> _checkTimeout = new("--check-timeout")
    {
        Description = $"Longest time one --check may run, in whole seconds from 1 to {MaxCheckTimeoutSeconds}; then its processes are killed and it counts as failed (default: {DefaultCheckTimeoutSeconds}).",
        HelpName = "seconds",
        DefaultValueFactory = _ => DefaultCheckTimeoutSeconds,
        CustomParser = result => CommandLineValues.WholeNumber(result, 1, MaxCheckTimeoutSeconds) ?? DefaultCheckTimeoutSeconds,
    };

    private readonly Option<int> _maxRevisions = new("--max-revisions")
    {
        Description = $"Most revision rounds after a failed --check, 0 to {CheckOptions.MaxRevisionsLimit}; each is another request (default: {DefaultMaxRevisions}).",
        HelpName = "n",
        DefaultValueFactory = _ => DefaultMaxRevisions,
        CustomParser = result => CommandLineValues.WholeNumber(result, 0, CheckOptions.MaxRevisionsLimit) ?? DefaultMaxRevisions,
    };

    private readonly Option<bool> _demo = new("--demo")
    {
        Description = $"The offline demo: a recorded answer to \"{TransformDemo.Prompt}\" for a bundled example repository, replayed from a loopback server (what runs with no model configured and no --repo). With --repo, the example repository is written to that new folder and kept.",
    };

    private TransformCommand()
    {
    }

    public static Task<int> InvokeAsync(string[] args) => CommandLineErrors.InvokeAsync(new TransformCommand().Build(), Name, args);

    /// <summary>The command as <see cref="InvokeAsync"/> runs it, for tests that go through every option.</summary>
    internal static RootCommand CreateRootCommand() => new TransformCommand().Build();

    private RootCommand Build()
    {
        var root = new RootCommand(
            "Changes a repository as a prompt asks, with a model that streams its answer: prints a reviewed unified diff " +
            $"that git apply accepts. The API key comes from {ModelOptions.ApiKeyVariable}; a local server from " +
            $"{ModelOptions.BaseUrlVariable} or --endpoint.")
        {
            _repo, _prompt, _out, _apply, _reflect, _maxPromptTokens, _check, _checkTimeout, _maxRevisions, _history, _list, _demo,
        };
        _model.AddTo(root);
        root.Validators.Add(result =>
        {
            if (result.GetValue(_list))
            {
                return;
            }

            // A missing value (--repo at the end) is reported by the option itself.
            if (!CommandLineValues.TryGetValue<string?>(result, _repo, out string? repo) || !CommandLineValues.TryGetValue<string?>(result, _prompt, out string? prompt))
            {
                return;
            }

            // Neither: the demo, or a message saying what to pass (decided once the model's settings are known).
            if ((repo is not null || prompt is not null) && !result.GetValue(_demo) && (string.IsNullOrWhiteSpace(repo) || string.IsNullOrWhiteSpace(prompt)))
            {
                result.AddError("--repo and --prompt are required (or pass --demo for the offline demo, --list to show recent runs).");
            }

            if (result.GetValue(_demo) && repo is not null && string.IsNullOrWhiteSpace(repo))
            {
                result.AddError("--repo needs a folder for the demo's example repository.");
            }

            if (CommandLineValues.TryGetValue<string[]>(result, _check, out string[]? checks) && checks is not null && checks.Any(string.IsNullOrWhiteSpace))
            {
                result.AddError("--check needs a command, such as \"python3 -m py_compile app.py\".");
            }
        });
        root.SetAction(RunAsync);
        return root;
    }

    private static FileInfo? ParseOutputFile(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                return new FileInfo(text);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                // Reported below.
            }
        }

        result.AddError($"--out needs a file path, not {CommandLineValues.Quote(text)}.");
        return null;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            if (parse.GetValue(_list))
            {
                await using IRunHistory listed = RunHistory.Open(parse.GetValue(_history));
                return await RunListWriter.WriteAsync(listed, ListedRuns, Console.IsOutputRedirected, cancel.Token);
            }

            string? repo = parse.GetValue(_repo);
            string? prompt = parse.GetValue(_prompt);
            bool demo = parse.GetValue(_demo);
            if (!demo && repo is null && prompt is null)
            {
                // Nothing asked: with no model either, the demo (as scg does); with a model, say what to pass.
                demo = !_model.TryCreateOptions(parse, environment: null, out _);
                if (!demo)
                {
                    throw new ConfigurationException("--repo and --prompt are required (or pass --demo for the offline demo, --list to show recent runs).");
                }
            }

            if (demo)
            {
                return await RunDemoAsync(parse, repo, prompt, cancel.Token);
            }

            // The inputs first, so a typo is reported before anything else: the repository (a folder that does not exist,
            // a refused URL), the diff's file and the history (an answer is billed even when it cannot be written or stored).
            RepositoryAccess.ForLocalUser().Check(repo!);
            if (parse.GetValue(_out) is { } output)
            {
                OutputFile.Check(output);
            }

            await using IRunHistory history = await OpenHistoryAsync(parse, cancel.Token);

            // Then the model's settings.
            var generator = new StreamingCodeGenerator(CreateModelOptions(parse));
            return await TransformAsync(parse, generator, history, new TransformRequest(repo!, prompt!) { Apply = parse.GetValue(_apply) }, demo: null, cancel.Token);
        }
        catch (Exception ex)
        {
            CommandLineError error = CommandLineErrors.Describe(ex);
            string message = Console.IsErrorRedirected ? error.Message : TerminalText.MakeVisible(error.Message);
            await Console.Error.WriteLineAsync($"{Name}: {message}");
            return error.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private async Task<int> TransformAsync(ParseResult parse, StreamingCodeGenerator generator, IRunHistory history, TransformRequest request, string? demo, CancellationToken cancellationToken)
    {
        CheckOptions checks = CheckOptions.ForLocalUser();
        checks.Timeout = TimeSpan.FromSeconds(parse.GetValue(_checkTimeout));
        checks.MaxRevisions = parse.GetValue(_maxRevisions);
        foreach (string command in parse.GetValue(_check) ?? [])
        {
            checks.Commands.Add(command);
        }

        var transformer = new RepositoryTransformer(
            generator,
            new RepositoryTransformerOptions
            {
                MaxPromptTokens = parse.GetValue(_maxPromptTokens),
                ReflectionRounds = parse.GetValue(_reflect),
                RepositoryAccess = RepositoryAccess.ForLocalUser(),
                Checks = checks,
            },
            history);
        FileInfo? output = parse.GetValue(_out);

        // Live display only on a terminal; plain lines otherwise, on standard error when the diff itself goes to standard output.
        // Model text (paths, review lines, warnings, the diff) shows its control characters visibly wherever a person reads it.
        bool live = !Console.IsOutputRedirected;
        TextWriter progressWriter = output is null
            ? VisibleControlsWriter.ForTerminal(Console.Error, Console.IsErrorRedirected)
            : VisibleControlsWriter.ForTerminal(Console.Out, Console.IsOutputRedirected);
        TransformResult result = live
            ? await LiveProgressDisplay.RunAsync(transformer, request, cancellationToken)
            : await transformer.RunAsync(request, new PlainProgressWriter(progressWriter), cancellationToken);

        string? written = null;
        if (result.Files.Count > 0 && output is not null)
        {
            await File.WriteAllTextAsync(output.FullName, result.Diff, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
            written = output.FullName;
        }

        if (live)
        {
            SummaryWriter.WriteLive(result, written, demo);
        }
        else
        {
            SummaryWriter.WritePlain(progressWriter, result, written, demo);
        }

        await progressWriter.FlushAsync(cancellationToken);
        if (result.Files.Count > 0 && output is null)
        {
            // Redirected (scg-transform … > change.diff): the diff exactly; on a terminal, with control characters visible.
            TextWriter diff = VisibleControlsWriter.ForTerminal(Console.Out, Console.IsOutputRedirected);
            await diff.WriteAsync(result.Diff);
            if (diff is VisibleControlsWriter visible)
            {
                // Shows a carriage return the diff ended with.
                await visible.DisposeAsync();
            }

            await Console.Out.FlushAsync(cancellationToken);
        }

        return TransformExitCodes.For(result.Outcome);
    }

    /// <summary>
    /// The offline demo: the example repository written to <c>--repo</c> (a new folder, kept) or a temporary folder
    /// (removed afterwards), and the recorded answers replayed from a loopback server. Labelled on standard error, in the
    /// summary and in the history (its model is <see cref="TransformDemo.Model"/>).
    /// </summary>
    private async Task<int> RunDemoAsync(ParseResult parse, string? repo, string? prompt, CancellationToken cancellationToken)
    {
        if (prompt is not null)
        {
            throw new ConfigurationException($"--demo answers its own prompt (\"{TransformDemo.Prompt}\"); leave out --prompt, or leave out --demo to ask a model.");
        }

        string folder = repo is not null
            ? Path.GetFullPath(repo)
            : Path.Combine(Path.GetTempPath(), "scg-transform-demo-" + Guid.NewGuid().ToString("N")[..12]);
        if (repo is not null && (File.Exists(folder) || (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())))
        {
            throw new ConfigurationException($"--repo with --demo names the folder the example repository is written to, so it must be new or empty; {CommandLineValues.Quote(repo)} is not.");
        }

        if (parse.GetValue(_out) is { } output)
        {
            OutputFile.Check(output);
        }

        await using IRunHistory history = await OpenHistoryAsync(parse, cancellationToken);
        await using DemoUpstream upstream = await DemoUpstream.StartAsync();
        try
        {
            await TransformDemo.CreateRepositoryAsync(folder, cancellationToken: cancellationToken);
            await Console.Error.WriteLineAsync(
                $"{Name}: offline demo — replaying a recorded answer to \"{TransformDemo.Prompt}\" for the bundled example repository ({folder}) " +
                $"from a loopback server ({upstream.Endpoint}); nothing is sent anywhere.");
            await Console.Error.WriteLineAsync(
                $"{Name}: for a real model set {ModelOptions.ApiKeyVariable}, or {ModelOptions.BaseUrlVariable} / --endpoint for a local server such as Ollama, then pass --repo and --prompt (see --help).");
            var generator = new StreamingCodeGenerator(upstream.CreateOptions(_model, parse));
            string diff = parse.GetValue(_out) is { } file ? file.FullName : "change.diff";
            string note = repo is not null
                ? $"offline demo: the example repository is kept in {folder}; apply the diff there with: git -C {folder} apply {diff}"
                : "offline demo: the example repository was a temporary folder, removed now; pass --demo --repo DIR to keep it and apply the diff there";
            return await TransformAsync(parse, generator, history, new TransformRequest(folder, TransformDemo.Prompt) { Apply = parse.GetValue(_apply) }, note, cancellationToken);
        }
        finally
        {
            if (repo is null && Directory.Exists(folder))
            {
                DeleteFolder(folder);
            }
        }
    }

    /// <summary>Opens the history and checks it can be written, before any request: a run that cannot be stored is refused (exit 2).</summary>
    private async Task<IRunHistory> OpenHistoryAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        IRunHistory history;
        try
        {
            history = RunHistory.Open(parse.GetValue(_history));
        }
        catch (HistoryException ex)
        {
            throw new ConfigurationException("--history cannot be used: " + ex.Message, ex);
        }

        try
        {
            await history.EnsureWritableAsync(cancellationToken);
            return history;
        }
        catch (HistoryException ex)
        {
            await history.DisposeAsync();
            throw new ConfigurationException("--history cannot be used: " + CommandLineErrors.OneLine(ex.Message), ex);
        }
        catch
        {
            await history.DisposeAsync();
            throw;
        }
    }

    /// <summary>The model's settings; with none configured, the shared message plus where the demo is.</summary>
    private StreamingCodeGeneratorOptions CreateModelOptions(ParseResult parse)
    {
        try
        {
            return _model.CreateOptions(parse);
        }
        catch (ConfigurationException ex) when (!_model.TryCreateOptions(parse, environment: null, out _))
        {
            throw new ConfigurationException($"{ex.Message.TrimEnd('.')}. Or try the offline demo: {Name} --demo.", ex);
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temporary folder: the system cleans it up.
        }
    }
}
