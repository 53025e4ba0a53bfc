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
            _repo, _prompt, _out, _apply, _reflect, _maxPromptTokens, _history, _list,
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

            if (string.IsNullOrWhiteSpace(repo) || string.IsNullOrWhiteSpace(prompt))
            {
                result.AddError("--repo and --prompt are required (or pass --list to show recent runs).");
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

            // The model settings first: a missing key is reported before anything else is opened.
            var generator = new StreamingCodeGenerator(_model.CreateOptions(parse));
            // Then the diff's file: an answer is billed even when it cannot be written.
            if (parse.GetValue(_out) is { } output)
            {
                OutputFile.Check(output);
            }

            await using IRunHistory history = RunHistory.Open(parse.GetValue(_history));
            return await TransformAsync(parse, generator, history, cancel.Token);
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

    private async Task<int> TransformAsync(ParseResult parse, StreamingCodeGenerator generator, IRunHistory history, CancellationToken cancellationToken)
    {
        var transformer = new RepositoryTransformer(
            generator,
            new RepositoryTransformerOptions
            {
                MaxPromptTokens = parse.GetValue(_maxPromptTokens),
                ReflectionRounds = parse.GetValue(_reflect),
                RepositoryAccess = RepositoryAccess.ForLocalUser(),
            },
            history);
        var request = new TransformRequest(parse.GetValue(_repo)!, parse.GetValue(_prompt)!) { Apply = parse.GetValue(_apply) };
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
            SummaryWriter.WriteLive(result, written);
        }
        else
        {
            SummaryWriter.WritePlain(progressWriter, result, written);
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

        return ExitCodes.Success;
    }
}
