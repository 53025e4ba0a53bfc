using System.CommandLine;
using System.Text;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>The command line: options, validation, and the two actions (transform, <c>--list</c>).</summary>
internal sealed class TransformCommand
{
    private const string Name = "scg-transform";
    private const int ListedRuns = 20;

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
        Description = "Write the diff to this file (default: standard output).",
        HelpName = "file",
    };

    private readonly Option<bool> _apply = new("--apply")
    {
        Description = "Apply the diff to the repository (a local git work tree without uncommitted changes).",
    };

    private readonly Option<int> _reflect = new("--reflect")
    {
        Description = "Most review rounds: [CONFIDENT] ends them, [REVISION NEEDED] revises the files (0 turns review off).",
        HelpName = "n",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<int> _maxPromptTokens = new("--max-prompt-tokens")
    {
        Description = "Prompt token budget: the most relevant files are shown while they fit, the rest are listed as left out.",
        HelpName = "n",
        DefaultValueFactory = _ => RepositoryTransformerOptions.DefaultMaxPromptTokens,
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
        _reflect.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--reflect must be 0 or more.");
            }
        });
        _maxPromptTokens.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--max-prompt-tokens must be positive.");
            }
        });
    }

    public static Task<int> InvokeAsync(string[] args) => CommandLineErrors.InvokeAsync(new TransformCommand().Build(), Name, args);

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

            if (string.IsNullOrWhiteSpace(result.GetValue(_repo)) || string.IsNullOrWhiteSpace(result.GetValue(_prompt)))
            {
                result.AddError("--repo and --prompt are required (or pass --list to show recent runs).");
            }
        });
        root.SetAction(RunAsync);
        return root;
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
            await using IRunHistory history = RunHistory.Open(parse.GetValue(_history));
            return await TransformAsync(parse, generator, history, cancel.Token);
        }
        catch (Exception ex)
        {
            CommandLineError error = CommandLineErrors.Describe(ex);
            await Console.Error.WriteLineAsync($"{Name}: {error.Message}");
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
        bool live = !Console.IsOutputRedirected;
        TextWriter progressWriter = output is null ? Console.Error : Console.Out;
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

        if (result.Files.Count > 0 && output is null)
        {
            await Console.Out.WriteAsync(result.Diff);
            await Console.Out.FlushAsync(cancellationToken);
        }

        return ExitCodes.Success;
    }
}
