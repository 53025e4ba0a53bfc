using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace StreamingCodeGeneration.Samples;

/// <summary>Maps what a command-line sample can fail with to an exit code and a one-line message that says what to do.</summary>
public static class CommandLineErrors
{
    /// <summary>
    /// Describes a failure: configuration 2 (including a <c>--max-tokens</c> larger than the model's context window), authentication 3, rate limit or quota 4, timeout 5, connection or server
    /// error 6 (also the circuit breaker refusing a server that kept failing), Ctrl+C 130, anything else 1. The message is one line; the library's messages never contain the key.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The exit code and the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static CommandLineError Describe(Exception exception) => Describe(exception, ModelOptions.ApiKeyVariable);

    /// <summary>Describes a failure (see <see cref="Describe(Exception)"/>), naming <paramref name="apiKeyVariable"/> when the key was refused.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="apiKeyVariable">Where the key came from, for example <see cref="ModelOptions.AzureApiKeyVariable"/>.</param>
    /// <returns>The exit code and the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> or <paramref name="apiKeyVariable"/> is <see langword="null"/>.</exception>
    public static CommandLineError Describe(Exception exception, string apiKeyVariable)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(apiKeyVariable);
        return exception switch
        {
            OperationCanceledException => new(ExitCodes.Cancelled, "Cancelled."),
            ConfigurationException => new(ExitCodes.Configuration, OneLine(exception.Message)),
            OptionsValidationException options => new(ExitCodes.Configuration, "Invalid setting: " + OneLine(string.Join("; ", options.Failures))),
            AuthenticationFailedException { StatusCode: 403 } auth =>
                new(ExitCodes.Authentication, $"Authentication failed: the server refused access (HTTP 403{Code(auth.ErrorCode)}) — check that {apiKeyVariable} may use this model or deployment."),
            AuthenticationFailedException auth =>
                new(ExitCodes.Authentication, $"Authentication failed: the server rejected the API key (HTTP {Status(auth.StatusCode)}{Code(auth.ErrorCode)}) — check {apiKeyVariable}."),
            RateLimitException { IsQuotaExhausted: true } =>
                new(ExitCodes.RateLimit, "Quota exhausted: the account has no credit left for this model — check the plan and billing, or use another key."),
            RateLimitException limit =>
                new(ExitCodes.RateLimit, $"Rate limited: the server kept answering HTTP 429 after {Attempts(limit)} — wait a minute and try again.{Detail(limit.ServerMessage)}"),
            StreamTimeoutException { Kind: StreamTimeoutKind.Total } timeout =>
                new(ExitCodes.Timeout, $"Timed out: the answer took longer than {Seconds(timeout.Timeout)} — raise --timeout, or ask for less."),
            StreamTimeoutException { Kind: StreamTimeoutKind.FirstChunk } timeout =>
                new(ExitCodes.Timeout, $"Timed out: no answer began within {Seconds(timeout.Timeout)} — the server may be overloaded or the model still loading; try again."),
            StreamTimeoutException timeout =>
                new(ExitCodes.Timeout, $"Timed out: the answer stalled for {Seconds(timeout.Timeout)} — try again."),
            StreamInterruptedException { Reason: StreamInterruptionReason.ServerError } =>
                new(ExitCodes.Connection, "The server reported an error mid-answer: " + OneLine(exception.Message) + " — try again."),
            StreamInterruptedException { Reason: StreamInterruptionReason.EndedWithoutFinishReason } =>
                new(ExitCodes.Connection, "The stream ended before the answer was finished — try again."),
            StreamInterruptedException =>
                new(ExitCodes.Connection, "Connection failed: " + OneLine(exception.Message) + " — check --endpoint (or the base URL variable) and that the server is running."),
            MalformedResponseException =>
                new(ExitCodes.Connection, "The server did not answer like an OpenAI-compatible API: " + OneLine(exception.Message) + " — check --endpoint (it usually ends in /v1)."),
            ApiException { StatusCode: >= 500 } api =>
                new(ExitCodes.Connection, $"Server error: HTTP {Status(api.StatusCode)}{Detail(api.ServerMessage)} — try again later."),
            HttpRequestException => new(ExitCodes.Connection, "Connection failed: " + OneLine(exception.Message)),
            // The breaker opened on this process's own failed attempts (a tool running many generations at once).
            CircuitOpenException open =>
                new(ExitCodes.Connection, "Server unavailable: recent requests to it kept failing, so the circuit breaker sent nothing — " + RetryAfter(open.RetryAfter)),
            // Found before sending (the model's window is known): say which number is too large.
            ContextLengthExceededException { MaxPromptTokens: <= 0 } =>
                new(ExitCodes.Configuration, "--max-tokens alone is more than the model's context window holds, leaving no room for the prompt — lower --max-tokens; nothing was sent."),
            ContextLengthExceededException { PromptTokens: int prompt, MaxPromptTokens: int fits } =>
                new(ExitCodes.Failure, string.Create(CultureInfo.InvariantCulture, $"The prompt is {prompt} tokens but at most {fits} fit in the model's context window (after the output --max-tokens asks for) — shorten it, lower --max-tokens, or choose a model with a larger window; nothing was sent.")),
            ContextLengthExceededException => new(ExitCodes.Failure, "The prompt is too long for the model's context window — shorten it, or choose a model with a larger one."),
            ApiException api => new(ExitCodes.Failure, $"The server refused the request: {OneLine(exception.Message)}"),
            _ => new(ExitCodes.Failure, OneLine(exception.Message)),
        };
    }

    /// <summary>
    /// Parses a command line (an argument starting with <c>@</c> is a value, not a response file) and runs its action;
    /// a word written like an option that is none of the command's is reported alone, with the nearest option
    /// (<c>Unknown option '--lenguage'. Did you mean '--language'?</c>); a command line that does not parse prints each error as one line,
    /// <c>name: message</c>, with control characters visible, the last one ending with a pointer to <c>--help</c>, on
    /// standard error, and is <see cref="ExitCodes.Configuration"/>. Ctrl+C is left to the action (which keeps what
    /// arrived), not to System.CommandLine.
    /// </summary>
    /// <param name="root">The command.</param>
    /// <param name="name">The command's name in messages, for example <c>scg</c>.</param>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task<int> InvokeAsync(RootCommand root, string name, string[] args) =>
        InvokeAsync(root, name, args, new InvocationConfiguration { ProcessTerminationTimeout = null });

    /// <summary>Parses and runs a command line like <see cref="InvokeAsync(RootCommand, string, string[])"/>, with the given output and error writers.</summary>
    /// <param name="root">The command.</param>
    /// <param name="name">The command's name in messages, for example <c>scg</c>.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="configuration">Where help and errors go (<see cref="InvocationConfiguration.Output"/>, <see cref="InvocationConfiguration.Error"/>), and how Ctrl+C is handled.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async Task<int> InvokeAsync(RootCommand root, string name, string[] args, InvocationConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        // No response files: "@notes.txt" would read arguments from a file, and a prompt such as "@team, write…" could not be given.
        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // An unknown option explains the errors that follow from it (its value taken for an unexpected argument): it alone is reported.
        List<string> errors = UnknownOption.Describe(parse) is { } unknown ? [unknown]
            : SwitchWithValue(root, args) is { } switchError ? [switchError]
            : [.. parse.Errors.Select(error => error.Message)];
        if (errors.Count > 0)
        {
            for (int i = 0; i < errors.Count; i++)
            {
                string message = TerminalText.MakeVisible(OneLine(errors[i]));
                if (i == errors.Count - 1)
                {
                    message = (message.EndsWith('.') || message.EndsWith('?') ? message : message + ".") + $" Run '{name} --help' for usage.";
                }

                await configuration.Error.WriteLineAsync($"{name}: {message}").ConfigureAwait(false);
            }

            return ExitCodes.Configuration;
        }

        return await parse.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>Joins the lines of a message into one, so each error is exactly one line of output.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The message on one line.</returns>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// A switch given a value (<c>--json=maybe</c>): System.CommandLine reports only the value, as an unrecognized
    /// argument; this names the switch. <c>true</c> and <c>false</c> are values a switch takes.
    /// </summary>
    private static string? SwitchWithValue(RootCommand root, string[] args)
    {
        foreach (string arg in args)
        {
            if (arg == "--")
            {
                break;
            }

            int separator = arg.IndexOfAny(['=', ':']);
            if (!arg.StartsWith('-') || separator < 0)
            {
                continue;
            }

            string name = arg[..separator];
            string value = arg[(separator + 1)..];
            foreach (Option option in root.Options)
            {
                if (option.ValueType == typeof(bool) && (option.Name == name || option.Aliases.Contains(name)) && !bool.TryParse(value, out _))
                {
                    return $"{name} is a switch and takes no value, not {CommandLineValues.Quote(value)}.";
                }
            }
        }

        return null;
    }

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);

    private static string Code(string? code) => code is { Length: > 0 } ? ", " + OneLine(code) : string.Empty;

    private static string Detail(string? serverMessage) => serverMessage is { Length: > 0 } ? " (" + OneLine(serverMessage).TrimEnd('.') + ")" : string.Empty;

    private static string Attempts(CodeGenerationException exception) =>
        exception.Stats.Attempts is int attempts and > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{attempts} attempts")
            : "1 attempt";

    /// <summary>When to try again, in whole seconds rounded up (at least 1), as an HTTP <c>Retry-After</c> would say it.</summary>
    private static string RetryAfter(TimeSpan? wait) => wait is { } time
        ? string.Create(CultureInfo.InvariantCulture, $"retry after {Math.Max(1, (long)Math.Ceiling(time.TotalSeconds))} s.")
        : "retry in a few seconds.";

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0} ms");
}
