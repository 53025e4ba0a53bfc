using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net.Http.Headers;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.ApiClient;

/// <summary>
/// The command line: <c>--base-url</c>, <c>--test normal|timeout|invalid</c>, <c>--prompt</c>, <c>--timeout</c>. Without
/// <c>--test</c> it asks, as the earlier Python client (api_client.py) does: the prompt (Enter for the default), the test, and for the timeout test the
/// seconds. The service's API key, if it needs one, comes from <c>SCG_API_KEY</c> (never the command line).
/// </summary>
public static class ApiClientApp
{
    /// <summary>The default prompt, as in the earlier Python client.</summary>
    public const string DefaultPrompt = "Create a function that sorts a list using bubble sort.";

    /// <summary>The environment variable holding the service's API key.</summary>
    public const string ApiKeyVariable = "SCG_API_KEY";

    /// <summary>The default client timeout, as in the earlier Python client.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(0.1);

    /// <summary>The command's name in messages.</summary>
    public const string Name = "scg-api-client";

    /// <summary>The longest <c>--timeout</c>, in seconds: one day.</summary>
    public const double MaxTimeoutSeconds = 86_400;

    /// <summary>The shortest <c>--timeout</c>, in seconds: one millisecond.</summary>
    public const double MinTimeoutSeconds = 0.001;

    /// <summary>Runs the client.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="input">Where answers to the questions come from.</param>
    /// <param name="output">Where the answer goes; on a terminal, wrap it in a <see cref="VisibleControlsWriter"/> (the service's text is shown, not obeyed).</param>
    /// <param name="error">Where errors go; on a terminal, wrap it the same way.</param>
    /// <param name="handler">The HTTP handler (tests); <see langword="null"/> for a new one.</param>
    /// <returns>The exit code: 0 complete answer, 1 the service refused the request, 2 bad arguments, 3 authentication, 4 rate limited, 5 timeout, 6 connection or server error.</returns>
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, HttpMessageHandler? handler = null) =>
        CommandLineErrors.InvokeAsync(CreateRootCommand(input, output, error, handler), Name, args, new InvocationConfiguration { Output = output, Error = error });

    /// <summary>The command <see cref="RunAsync"/> runs: its options, their parsing and the action.</summary>
    internal static RootCommand CreateRootCommand(TextReader input, TextWriter output, TextWriter error, HttpMessageHandler? handler)
    {
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "The service's address (default: $SCG_API_URL, else http://localhost:5000).",
            HelpName = "url",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SCG_API_URL") is { Length: > 0 } url ? url : "http://localhost:5000",
        };
        baseUrl.Validators.Add(result =>
        {
            string value = result.GetValueOrDefault<string>() ?? string.Empty;
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                string where = result.Implicit ? "$SCG_API_URL" : "--base-url";
                result.AddError($"{where} must be an http or https URL such as http://localhost:5000, not {CommandLineValues.Quote(CommandLineValues.WithoutUserInfo(value))}.");
            }
        });
        var test = new Option<ClientTest?>("--test")
        {
            Description = "Run without questions: normal, timeout or invalid.",
            HelpName = "normal|timeout|invalid",
            CustomParser = ParseTest,
        };
        test.CompletionSources.Add("normal", "timeout", "invalid");
        var prompt = new Option<string?>("--prompt") { Description = $"The prompt (default: \"{DefaultPrompt}\").", HelpName = "text" };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = $"Seconds for the timeout test, {MinTimeoutSeconds} to {MaxTimeoutSeconds}, fractions allowed (default: 0.1).",
            HelpName = "seconds",
            CustomParser = result => CommandLineValues.Seconds(result, MinTimeoutSeconds, MaxTimeoutSeconds),
        };

        var root = new RootCommand("Calls the Streaming Code Generator web service's POST /generate-code, like the earlier Python service's api_client.py.") { baseUrl, test, prompt, timeout };
        root.SetAction(async (parse, cancellationToken) =>
        {
            ClientTest chosen;
            string text;
            TimeSpan limit = parse.GetValue(timeout) ?? DefaultTimeout;
            if (parse.GetValue(test) is { } given)
            {
                chosen = given;
                text = parse.GetValue(prompt) is { Length: > 0 } asked ? asked : DefaultPrompt;
            }
            else
            {
                (text, chosen, limit) = await AskAsync(parse.GetValue(prompt), input, output, limit);
            }

            using var http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
            {
                BaseAddress = new Uri(parse.GetValue(baseUrl)!.TrimEnd('/') + "/"),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            return await new GenerateCodeClient(http, output, error).RunAsync(chosen, text, limit);
        });
        return root;
    }

    private static ClientTest? ParseTest(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        foreach (ClientTest candidate in Enum.GetValues<ClientTest>())
        {
            if (text.Equals(candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        result.AddError($"--test must be normal, timeout or invalid, not {CommandLineValues.Quote(text)}.");
        return null;
    }

    /// <summary>The earlier Python client's questions: the prompt, the test, and the timeout for the timeout test.</summary>
    private static async Task<(string Prompt, ClientTest Test, TimeSpan Timeout)> AskAsync(string? given, TextReader input, TextWriter output, TimeSpan timeout)
    {
        string prompt = given ?? string.Empty;
        if (prompt.Length == 0)
        {
            await output.WriteAsync("Enter your prompt (or press Enter to use the default): ");
            prompt = (await input.ReadLineAsync())?.Trim() ?? string.Empty;
        }

        if (prompt.Length == 0)
        {
            prompt = DefaultPrompt;
            await output.WriteLineAsync($"Using default prompt: {DefaultPrompt}");
        }

        await output.WriteLineAsync("\nSelect a test to run:");
        await output.WriteLineAsync("1. Test generate code (normal)");
        await output.WriteLineAsync("2. Test generate code with timeout");
        await output.WriteLineAsync("3. Test generate code with invalid payload");
        await output.WriteAsync("Enter the number of the test to run (default is 1): ");
        string choice = (await input.ReadLineAsync())?.Trim() ?? string.Empty;
        ClientTest test = choice switch
        {
            "" or "1" => ClientTest.Normal,
            "2" => ClientTest.Timeout,
            "3" => ClientTest.Invalid,
            _ => ClientTest.Normal,
        };
        if (choice is not ("" or "1" or "2" or "3"))
        {
            await output.WriteLineAsync("Invalid choice. Running test 1.");
        }

        if (test == ClientTest.Timeout)
        {
            await output.WriteAsync("Enter timeout in seconds (default is 0.1): ");
            string seconds = (await input.ReadLineAsync())?.Trim() ?? string.Empty;
            if (seconds.Length > 0)
            {
                if (CommandLineValues.TryParseSeconds(seconds, MinTimeoutSeconds, MaxTimeoutSeconds, out TimeSpan value))
                {
                    timeout = value;
                }
                else
                {
                    await output.WriteLineAsync("Invalid timeout. Using 0.1 seconds.");
                    timeout = DefaultTimeout;
                }
            }
        }

        return (prompt, test, timeout);
    }
}
