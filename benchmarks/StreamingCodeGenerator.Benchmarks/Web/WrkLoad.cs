using System.Globalization;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// The load generator that is not ours: wrk with benchmarks/web/stream.lua, N connections each streaming chat
/// completions back to back for a fixed time. Gives whole-stream latency percentiles, completed streams and errors.
/// </summary>
internal static class WrkLoad
{
    public sealed record Result(long Requests, long Ok, long BadStatus, long Incomplete, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
    {
        /// <summary>Streams that failed: a bad status, a short stream, a socket error or a timeout.</summary>
        public long Errors => BadStatus + Incomplete + ConnectErrors + ReadErrors + WriteErrors + Timeouts;
    }

    /// <summary>wrk's version line, or null when wrk is not installed.</summary>
    public static async Task<string?> VersionAsync()
    {
        ChildProcess.Output output = await ChildProcess.RunAsync("wrk", ["-v"], timeout: TimeSpan.FromSeconds(10));
        string text = output.StandardOutput + output.StandardError;
        // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer": keep the name and version.
        return text.StartsWith("wrk", StringComparison.Ordinal) ? string.Join(' ', text.Split('\n')[0].Split(' ').Take(2)) : null;
    }

    public static async Task<Result> RunAsync(Uri chatCompletions, int connections, int seconds, int chunks)
    {
        string script = Path.Combine(RepositoryPaths.Benchmarks, "web", "stream.lua");
        var arguments = new List<string>
        {
            "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "60s",
            "-s", script,
            chatCompletions.ToString(),
        };
        ChildProcess.Output output = await ChildProcess.RunAsync(
            "wrk", arguments, timeout: TimeSpan.FromSeconds(seconds + 120), environment: new Dictionary<string, string> { ["CHUNKS"] = chunks.ToString(CultureInfo.InvariantCulture) });
        string? line = output.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("WRK_JSON ", StringComparison.Ordinal));
        if (output.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk exited with {output.ExitCode}: {output.StandardError.Trim()} {output.StandardOutput.Trim()}");
        }

        using JsonDocument document = JsonDocument.Parse(line["WRK_JSON ".Length..]);
        JsonElement r = document.RootElement;
        long Get(string name) => r.GetProperty(name).GetInt64();
        return new Result(
            Get("requests"), Get("ok"), Get("badStatus"), Get("incomplete"), Get("connectErrors"), Get("readErrors"), Get("writeErrors"), Get("timeouts"),
            Get("p50Us") / 1000.0, Get("p90Us") / 1000.0, Get("p99Us") / 1000.0, Get("maxUs") / 1000.0);
    }
}
