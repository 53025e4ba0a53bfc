using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.ApiClient;

/// <summary>
/// Calls the web service's <c>POST /generate-code</c> and prints what comes back as it comes: the streamed answer, the
/// service's error (status and body), a timeout, or a connection failure. Returns an exit code (<see cref="ExitCodes"/>).
/// </summary>
public sealed class GenerateCodeClient(HttpClient http, TextWriter output, TextWriter error)
{
    /// <summary>How a plain stream that failed after it started ends (see the service's README).</summary>
    public const string ErrorLinePrefix = "[error] ";

    /// <summary>Runs one of the earlier Python client's tests.</summary>
    /// <param name="test">Which test.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="timeout">For <see cref="ClientTest.Timeout"/>: the longest wait for each read.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ClientTest test, string prompt, TimeSpan timeout)
    {
        switch (test)
        {
            case ClientTest.Timeout:
                await output.WriteLineAsync("\nRunning test: generate code with a timeout of " + Seconds(timeout));
                return await SendAsync(new { prompt }, timeout);
            case ClientTest.Invalid:
                await output.WriteLineAsync("\nRunning test: generate code with an invalid payload");
                return await SendAsync(new Dictionary<string, string> { ["invalid_key"] = prompt }, null);
            default:
                await output.WriteLineAsync("\nRunning test: generate code (normal)");
                return await SendAsync(new { prompt }, null);
        }
    }

    private async Task<int> SendAsync<T>(T payload, TimeSpan? timeout)
    {
        // The earlier Python client's httpx timeout: no single wait (connecting, the status, each read) may take longer.
        using var deadline = new CancellationTokenSource();
        void Arm()
        {
            if (timeout is { } limit)
            {
                deadline.CancelAfter(limit);
            }
        }

        try
        {
            Arm();
            using var request = new HttpRequestMessage(HttpMethod.Post, "generate-code") { Content = JsonContent.Create(payload) };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                string body = await response.Content.ReadAsStringAsync(deadline.Token);
                await error.WriteLineAsync($"Error: {(int)response.StatusCode} - {body}");
                return ExitCodeFor(response.StatusCode);
            }

            await output.WriteLineAsync("\nStreaming response:");
            await using Stream stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            var decoder = Encoding.UTF8.GetDecoder();
            var tail = new StringBuilder();
            byte[] buffer = new byte[4096];
            char[] chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            while (true)
            {
                Arm();
                int read = await stream.ReadAsync(buffer, deadline.Token);
                int count = decoder.GetChars(buffer, 0, read, chars, 0, flush: read == 0);
                await output.WriteAsync(chars.AsMemory(0, count));
                await output.FlushAsync();
                KeepLastLine(tail, chars.AsSpan(0, count));
                if (read == 0)
                {
                    break;
                }
            }

            await output.WriteLineAsync();
            string last = tail.ToString().TrimEnd('\n');
            int lineStart = last.LastIndexOf('\n') + 1;
            if (last.AsSpan(lineStart).StartsWith(ErrorLinePrefix, StringComparison.Ordinal))
            {
                string line = last[lineStart..];
                await error.WriteLineAsync("The answer is incomplete: " + line[ErrorLinePrefix.Length..]);
                return line.Contains("timeout", StringComparison.Ordinal) ? ExitCodes.Timeout : ExitCodes.Connection;
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Request timed out after {Seconds(timeout!.Value)}.");
            return ExitCodes.Timeout;
        }
        catch (HttpRequestException exception)
        {
            // The address without user-info: a password in --base-url is never printed.
            string address = http.BaseAddress?.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped) ?? "(no address)";
            await error.WriteLineAsync($"An error occurred while requesting the API at {address}: {CommandLineErrors.OneLine(exception.Message)}");
            return ExitCodes.Connection;
        }
        catch (IOException exception)
        {
            await error.WriteLineAsync($"The connection to the API broke: {CommandLineErrors.OneLine(exception.Message)}");
            return ExitCodes.Connection;
        }
    }

    /// <summary>Keeps the text since the last line break but one, enough to find a final error line.</summary>
    private static void KeepLastLine(StringBuilder tail, ReadOnlySpan<char> text)
    {
        tail.Append(text);
        if (tail.Length > 8192)
        {
            tail.Remove(0, tail.Length - 4096);
        }
    }

    private static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Authentication,
        HttpStatusCode.TooManyRequests => ExitCodes.RateLimit,
        HttpStatusCode.GatewayTimeout => ExitCodes.Timeout,
        >= HttpStatusCode.InternalServerError => ExitCodes.Connection,
        _ => ExitCodes.Failure,
    };

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " seconds";
}
