using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.ApiClient;

/// <summary>
/// The command line: <c>--base-url</c>, <c>--test normal|timeout|invalid</c>, <c>--prompt</c>, <c>--timeout</c>. Without
/// <c>--test</c> it asks, as the seed does: the prompt (Enter for the default), the test, and for the timeout test the
/// seconds. The service's API key, if it needs one, comes from <c>SCG_API_KEY</c> (never the command line).
/// </summary>
public static class ApiClientApp
{
    /// <summary>The seed's default prompt.</summary>
    public const string DefaultPrompt = "Create a function that sorts a list using bubble sort.";

    /// <summary>The environment variable holding the service's API key.</summary>
    public const string ApiKeyVariable = "SCG_API_KEY";

    /// <summary>The seed's default client timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(0.1);

    /// <summary>Runs the client.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="input">Where answers to the questions come from.</param>
    /// <param name="output">Where the answer goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="handler">The HTTP handler (tests); <see langword="null"/> for a new one.</param>
    /// <returns>The exit code: 0 complete answer, 1 the service refused the request, 2 bad arguments, 3 authentication, 4 rate limited, 5 timeout, 6 connection or server error.</returns>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, HttpMessageHandler? handler = null)
    {
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "The service's address (default: $SCG_API_URL, else http://localhost:5000).",
            HelpName = "url",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SCG_API_URL") is { Length: > 0 } url ? url : "http://localhost:5000",
        };
        baseUrl.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"--base-url must be an http or https URL such as http://localhost:5000, not '{value}'.");
            }
        });
        var test = new Option<string?>("--test") { Description = "Run without questions: normal, timeout or invalid.", HelpName = "name" };
        test.AcceptOnlyFromAmong("normal", "timeout", "invalid");
        var prompt = new Option<string?>("--prompt") { Description = $"The prompt (default: \"{DefaultPrompt}\").", HelpName = "text" };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds for the timeout test (default: 0.1).", HelpName = "seconds" };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(value > 0))
            {
                result.AddError("--timeout must be a positive number of seconds.");
            }
        });

        var root = new RootCommand("Calls the Streaming Code Generator web service's POST /generate-code, like the seed's api_client.py.") { baseUrl, test, prompt, timeout };
        root.SetAction(async (parse, cancellationToken) =>
        {
            ClientTest chosen;
            string text;
            TimeSpan limit = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
            if (parse.GetValue(test) is { } name)
            {
                chosen = Enum.Parse<ClientTest>(name, ignoreCase: true);
                text = parse.GetValue(prompt) is { Length: > 0 } given ? given : DefaultPrompt;
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

        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var parseError in result.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            return ExitCodes.Configuration;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The seed's questions: the prompt, the test, and the timeout for the timeout test.</summary>
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
                if (double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0)
                {
                    timeout = TimeSpan.FromSeconds(value);
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
