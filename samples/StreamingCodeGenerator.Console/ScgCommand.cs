using System.CommandLine;
using System.Text;
using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>The command line: <c>scg [prompt] [options]</c>, its validation, and the choice of model, prompt and display.</summary>
internal sealed class ScgCommand
{
    public const string Name = "scg";

    private readonly ModelOptions _model = new();

    private readonly Argument<string?> _prompt = new("prompt")
    {
        Description = "What to write. Without it: read from standard input when piped, else asked for (Enter takes the default task).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _language = new("--language", "-l")
    {
        Description = "The language to write the code in, for example C# or python.",
        HelpName = "name",
    };

    private readonly Option<string?> _system = new("--system")
    {
        Description = "The system prompt (default: fenced code naming its language, then a concise explanation).",
        HelpName = "text",
    };

    private readonly Option<bool> _demo = new("--demo")
    {
        Description = "Replay the recorded demo answer from a loopback server, even when a key or an endpoint is set.",
    };

    private readonly Option<string?> _save = new("--save")
    {
        Description = "Write each code block into this folder (checked before anything is sent), named by its file name or block-N.<ext>; names that would leave the folder are refused.",
        HelpName = "dir",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object per chunk, then the result (or the error): for scripts and editors.",
    };

    private readonly Option<bool> _noColor = new("--no-color")
    {
        Description = "No colours (NO_COLOR does the same).",
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Description = "Print only the code: no prose, no fences, no status line, no summary.",
    };

    private ScgCommand()
    {
    }

    public static Task<int> InvokeAsync(string[] args) => CommandLineErrors.InvokeAsync(new ScgCommand().Build(), Name, args);

    /// <summary>The command as <see cref="InvokeAsync"/> runs it, for tests that go through every option.</summary>
    internal static RootCommand CreateRootCommand() => new ScgCommand().Build();

    private RootCommand Build()
    {
        var root = new RootCommand(
            "Streams code and its explanation from a model: OpenAI (Chat Completions or the Responses API), Azure OpenAI, Anthropic (Claude), Ollama, vLLM, LM Studio. " +
            $"The key comes from {ModelOptions.ApiKeyVariable} (Azure: {ModelOptions.AzureApiKeyVariable}, Anthropic: {ModelOptions.AnthropicApiKeyVariable}) or .NET user secrets, never from the command line.")
        {
            _prompt, _language, _system, _save, _json, _quiet, _noColor, _demo,
        };
        _model.AddTo(root);
        root.Validators.Add(result =>
        {
            if (result.GetValue(_json) && result.GetValue(_quiet))
            {
                result.AddError("--json and --quiet cannot be combined: --json already prints every chunk with its kind.");
            }

            if (CommandLineValues.TryGetValue<string?>(result, _save, out string? save) && save is not null && string.IsNullOrWhiteSpace(save))
            {
                result.AddError("--save needs a folder.");
            }
        });
        HelpExamples.AddTo(root);
        root.SetAction(RunAsync);
        return root;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        System.Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int presses = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops the stream and keeps what arrived; a second one ends the process at once.
            if (Interlocked.Increment(ref presses) == 1)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        };
        System.Console.CancelKeyPress += onCancel;
        string keyVariable = _model.GetApiKeyVariable(parse);
        SaveFolder? save = null;
        try
        {
            Func<string, string?> environment = ModelOptions.WithUserSecrets(typeof(ScgCommand).Assembly);
            StreamingCodeGeneratorOptions? options = null;
            bool demo = parse.GetValue(_demo) || !_model.TryCreateOptions(parse, environment, out options);
            var terminal = TerminalFacts.Detect(parse.GetValue(_noColor));

            // Before the prompt is asked for or anything is sent: an answer that cannot be saved is still billed.
            save = parse.GetValue(_save) is { } folder ? SaveFolder.Prepare(folder) : null;

            string prompt = await PromptReader.ReadAsync(
                parse.GetValue(_prompt), System.Console.IsInputRedirected, System.Console.In, terminal.CreateMessagesConsole, cancel.Token);

            await using OfflineDemo? offline = demo ? await OfflineDemo.StartAsync() : null;
            if (offline is not null)
            {
                options = DemoOptions(parse, offline.Endpoint);
                keyVariable = ModelOptions.ApiKeyVariable;
                await System.Console.Error.WriteLineAsync(
                    $"{Name}: offline demo — replaying a recorded answer to \"{OfflineDemo.RecordedPrompt}\" from a loopback server ({offline.Endpoint}); nothing is sent anywhere.");
                await System.Console.Error.WriteLineAsync(
                    $"{Name}: for a real model set {ModelOptions.ApiKeyVariable}, or {ModelOptions.BaseUrlVariable} / --endpoint for a local server such as Ollama, " +
                    $"or {ModelOptions.AzureEndpointVariable} and {ModelOptions.AzureApiKeyVariable} with --provider azure (see --help).");
            }

            await using IAnswerOutput output = CreateOutput(parse, terminal);
            options!.OnRetry = output.RetryingAsync;
            var generator = new StreamingCodeGenerator(options);
            var request = new CodeGenerationRequest(prompt)
            {
                TargetLanguage = parse.GetValue(_language),
                SystemPrompt = parse.GetValue(_system),
                Progress = output,
            };
            return await GenerationRun.RunAsync(generator, request, output, save?.Path, keyVariable, cancel.Token);
        }
        catch (Exception ex)
        {
            CommandLineError error = CommandLineErrors.Describe(ex, keyVariable);
            string message = System.Console.IsErrorRedirected ? error.Message : TerminalText.MakeVisible(error.Message);
            await System.Console.Error.WriteLineAsync($"{Name}: {message}");
            return error.ExitCode;
        }
        finally
        {
            System.Console.CancelKeyPress -= onCancel;
            save?.RemoveIfEmpty();
        }
    }

    /// <summary>The command line's settings pointed at the demo server, without a key.</summary>
    private StreamingCodeGeneratorOptions DemoOptions(ParseResult parse, Uri endpoint)
    {
        string url = endpoint.AbsoluteUri;
        _model.TryCreateOptions(parse, name => name is ModelOptions.BaseUrlVariable or ModelOptions.AzureEndpointVariable or ModelOptions.AnthropicBaseUrlVariable ? url : null, out StreamingCodeGeneratorOptions? options);
        options!.Endpoint = endpoint;
        options.Provider = ModelProvider.OpenAI;
        options.ApiKey = null;
        return options;
    }

    private IAnswerOutput CreateOutput(ParseResult parse, TerminalFacts terminal)
    {
        if (parse.GetValue(_json))
        {
            return new JsonLinesOutput(System.Console.Out, System.Console.Error, terminal.ErrorReachesTerminal);
        }

        bool quiet = parse.GetValue(_quiet);
        return new TextOutput(
            System.Console.Out,
            System.Console.Error,
            new TextOutputSettings
            {
                Style = terminal.OutputIsTerminal && terminal.Colour && !quiet ? new AnswerStyle() : null,
                Status = quiet ? StatusPlacement.None
                    : terminal.OutputIsTerminal ? StatusPlacement.WithAnswer
                    : terminal.ErrorIsTerminal ? StatusPlacement.OnMessages
                    : StatusPlacement.None,
                AnswerIsTerminal = terminal.OutputIsTerminal,
                AnswerShowsControls = terminal.OutputReachesTerminal,
                MessagesShowControls = terminal.ErrorReachesTerminal,
                Colour = terminal.Colour,
                Width = terminal.Width,
                CodeOnly = quiet,
                Summary = !quiet,
                MessagesConsole = terminal.ErrorIsTerminal && terminal.Colour ? terminal.CreateMessagesConsole() : null,
                SaveFolder = parse.GetValue(_save),
            },
            TimeProvider.System);
    }
}
