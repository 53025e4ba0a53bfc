using System.Globalization;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 6: many slow streams held at once, as slow or thinking models stream (a few chunks a second for many seconds).
/// One paced upstream (<see cref="PacedSseServer"/>) feeds the FastAPI + uvicorn + httpx stack and our web
/// service in turn; each gets the same N concurrent streams, started over a ramp, and every text is checked exact. What
/// it measures is memory: the service's working set before the streams (after a warm-up) and at its peak while it holds
/// them, and so the working set each held stream costs.
/// </summary>
internal static class SlowStreamsComparison
{
    private const int WarmUpStreams = 20;

    /// <param name="Held">The most streams the upstream was sending at once: how many the service really held.</param>
    private sealed record Target(string Name, ChunkLatencyProbe.Result Probe, int Held, long IdleWorkingSet, long PeakWorkingSet)
    {
        /// <summary>The working set each held stream added above the warmed-up idle process.</summary>
        public double PerStream => Held > 0 ? (PeakWorkingSet - IdleWorkingSet) / (double)Held : double.NaN;
    }

    public static async Task<RowResult> RunAsync(CompareSettings settings, WebServiceComparison.Options options)
    {
        var row = new RowResult(6, "Slow streams held");
        int streams = settings.SlowStreams;

        // Each held stream is a socket to the service and one from it to the upstream; the probe and the upstream are
        // both in this process, and the service's process inherits this process's limit (.NET raises its own soft limit
        // to the hard one at start; Python does not, so it must inherit it).
        long needed = (2L * streams) + 1024;
        if (OpenFileLimit() is long limit && limit < needed)
        {
            return row.Skip($"{Format.Count(streams)} streams need about {Format.Count(needed)} open files per process; the limit here is {Format.Count(limit)} (raise it: ulimit -Hn {needed}).");
        }

        await using var upstream = new PacedSseServer(settings.SlowChunks, settings.SlowChunksPerSecond);
        TimeSpan ramp = TimeSpan.FromSeconds(settings.SlowRampSeconds);

        // The floor: the probe reading the upstream directly, both in this process; its lag is the harness's own.
        Console.Error.WriteLine($"  upstream, read directly: {Format.Count(streams)} slow streams");
        ChunkLatencyProbe.Result direct = await ChunkLatencyProbe.RunAsync(new Uri(upstream.Endpoint, "chat/completions"), streams, settings.SlowChunks, settings.SlowChunksPerSecond, ramp);
        if (direct.FailedStreams > 0)
        {
            return row.Fail($"reading the paced upstream directly failed {direct.FailedStreams} of {direct.Streams} streams ({string.Join("; ", direct.Failures)}): the harness is broken.");
        }

        Target? fastapi = null;
        (string? python, string? versions) = await WebServiceComparison.FindPythonAsync(options.Python);
        if (python is null)
        {
            row.Notes.Add("FastAPI, uvicorn or httpx not importable (apt-get install python3-fastapi python3-uvicorn python3-httpx): the FastAPI side skipped.");
        }
        else
        {
            Console.Error.WriteLine($"  FastAPI proxy: {python} ({versions})");
            int port = ServiceProcess.FreePort();
            using ServiceProcess proxy = await ServiceProcess.StartAsync(
                python,
                ["-m", "uvicorn", "fastapi_proxy:app", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--workers", options.FastApiWorkers.ToString(CultureInfo.InvariantCulture), "--no-access-log", "--log-level", "warning", "--backlog", "8192"],
                RepositoryPaths.Benchmarks,
                new Dictionary<string, string>
                {
                    ["UPSTREAM_URL"] = upstream.Endpoint.ToString().TrimEnd('/'),
                    // Its users would raise httpx's pool limit for this many streams, as they would the file limit.
                    ["UPSTREAM_MAX_CONNECTIONS"] = (streams + WarmUpStreams).ToString(CultureInfo.InvariantCulture),
                },
                port);
            fastapi = await HoldAsync(WebServiceComparison.FastApiName, proxy, upstream, settings, ramp);
            row.Details["fastapiVersions"] = versions;
            row.Details["fastapiWorkers"] = options.FastApiWorkers;
        }

        Target? ours = null;
        WebApp? webApp = await WebApp.FindAsync(options.WebApp, options.Native, row);
        if (webApp is not null)
        {
            Console.Error.WriteLine($"  our web service: {webApp.Path}");
            using ServiceProcess service = await webApp.StartAsync(upstream.Endpoint, ServiceProcess.FreePort());
            ours = await HoldAsync("our web service", service, upstream, settings, ramp);
        }

        AddLines(row, settings, direct, fastapi, ours);
        Check(row, settings, fastapi, ours);
        if (row.Outcome == RowOutcome.Measured && (fastapi is null || ours is null))
        {
            row.Outcome = RowOutcome.Partial;
        }

        row.Details["streams"] = streams;
        row.Details["chunksPerStream"] = settings.SlowChunks;
        row.Details["chunksPerSecond"] = settings.SlowChunksPerSecond;
        row.Details["rampSeconds"] = settings.SlowRampSeconds;
        row.Details["directChunkMs"] = new { p50 = Percentiles.Median(direct.LatenciesMs), p99 = Percentiles.Of(direct.LatenciesMs, 99), max = direct.LatenciesMs.LastOrDefault() };
        row.Details["targets"] = new[] { fastapi, ours }.Where(t => t is not null).Select(t => new
        {
            t!.Name,
            t.Held,
            t.IdleWorkingSet,
            t.PeakWorkingSet,
            t.PerStream,
            probe = new
            {
                t.Probe.Streams,
                t.Probe.FailedStreams,
                t.Probe.Failures,
                t.Probe.Seconds,
                chunks = t.Probe.LatenciesMs.Length,
                chunkMs = new { p50 = Percentiles.Median(t.Probe.LatenciesMs), p99 = Percentiles.Of(t.Probe.LatenciesMs, 99), max = t.Probe.LatenciesMs.LastOrDefault() },
                firstChunkMs = new { p50 = Percentiles.Median(t.Probe.FirstChunkMs), p99 = Percentiles.Of(t.Probe.FirstChunkMs, 99), max = t.Probe.FirstChunkMs.LastOrDefault() },
            },
        });
        row.Notes.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"Slow streams: a paced loopback upstream ({settings.SlowChunks} chunks at {settings.SlowChunksPerSecond} chunks/s per stream, each stamped with its send time); {Format.Count(streams)} concurrent streams started over {settings.SlowRampSeconds:0.#} s, every text checked exact, after a warm-up of {WarmUpStreams} streams. Working set (VmRSS, with child processes) sampled every 50 ms: idle is just before the streams start, per stream is (peak − idle) ÷ streams held. Held = the most streams the upstream sent at once. The FastAPI proxy runs with uvicorn's backlog and httpx's pool raised to this many connections, as its users would for this load; {webApp?.Description ?? "ours not measured"}. Chunk latency is from upstream send to arrival at the probe, the probe's own overhead included; the same probe reading the upstream directly first gives the harness's own floor."));
        return row;
    }

    private static async Task<Target> HoldAsync(string name, ServiceProcess service, PacedSseServer upstream, CompareSettings settings, TimeSpan ramp)
    {
        Console.Error.WriteLine($"  {name}: warm-up, {Format.Count(settings.SlowStreams)} slow streams");
        await ChunkLatencyProbe.RunAsync(service.ChatCompletions, Math.Min(settings.SlowStreams, WarmUpStreams), settings.SlowChunks, settings.SlowChunksPerSecond);
        if (!await upstream.WaitUntilIdleAsync(TimeSpan.FromSeconds(30)))
        {
            Console.Error.WriteLine($"  {name}: {upstream.ActiveStreams} upstream streams still open 30 s after the warm-up");
        }

        upstream.ResetPeak();
        using var memory = MemorySampler.For(service.Process, TimeSpan.FromMilliseconds(50));
        ChunkLatencyProbe.Result probe = await ChunkLatencyProbe.RunAsync(service.ChatCompletions, settings.SlowStreams, settings.SlowChunks, settings.SlowChunksPerSecond, ramp);
        memory.Stop();
        return new Target(name, probe, upstream.PeakActiveStreams, memory.IdleWorkingSet, memory.PeakWorkingSet);
    }

    private static void AddLines(RowResult row, CompareSettings settings, ChunkLatencyProbe.Result direct, Target? fastapi, Target? ours)
    {
        string load = $"{Format.Count(settings.SlowStreams)} concurrent slow streams ({settings.SlowChunks} chunks at {settings.SlowChunksPerSecond} chunks/s)";
        Figure Side(Target? target, Func<Target, double> value, Func<Target, string> text, string unit, string? name = null) =>
            target is null ? Figure.Absent("not present", name) : new Figure(text(target), value(target), unit, name);
        (string Text, double? Value) Ratio(Func<Target, double> value, string what) =>
            ours is null || fastapi is null || value(fastapi) <= 0 || double.IsNaN(value(ours)) || double.IsNaN(value(fastapi)) ? ("—", null)
            : ($"{Format.Times(value(ours) / value(fastapi))} {what}", value(ours) / value(fastapi));

        (string heldText, double? heldValue) = Ratio(t => t.Held, "the streams");
        row.Lines.Add(new ComparisonLine(
            $"Slow streams, {load}: streams held at once (upstream's peak in flight)",
            Side(ours, t => t.Held, t => Format.Count(t.Held), "streams"),
            Side(fastapi, t => t.Held, t => Format.Count(t.Held), "streams", WebServiceComparison.FastApiName),
            heldText,
            heldValue));
        row.Lines.Add(new ComparisonLine(
            $"Slow streams, {load}: failed or inexact streams",
            Side(ours, t => t.Probe.FailedStreams, t => $"{Format.Count(t.Probe.FailedStreams)} of {Format.Count(t.Probe.Streams)}", "streams"),
            Side(fastapi, t => t.Probe.FailedStreams, t => $"{Format.Count(t.Probe.FailedStreams)} of {Format.Count(t.Probe.Streams)}", "streams", WebServiceComparison.FastApiName),
            ours is null || fastapi is null ? "—" : ours.Probe.FailedStreams == fastapi.Probe.FailedStreams ? "same" : Format.Count(ours.Probe.FailedStreams - fastapi.Probe.FailedStreams),
            ours is null || fastapi is null ? null : ours.Probe.FailedStreams - fastapi.Probe.FailedStreams));
        (string peakText, double? peakValue) = Ratio(t => t.PeakWorkingSet, "the memory");
        row.Lines.Add(new ComparisonLine(
            $"Slow streams, {load}: peak working set of the service process",
            Side(ours, t => t.PeakWorkingSet, t => Format.Megabytes(t.PeakWorkingSet), "bytes"),
            Side(fastapi, t => t.PeakWorkingSet, t => Format.Megabytes(t.PeakWorkingSet), "bytes", WebServiceComparison.FastApiName),
            peakText,
            peakValue));
        (string perText, double? perValue) = Ratio(t => t.PerStream, "the memory");
        string idle = $"idle, warmed up: ours {(ours is null ? "—" : Format.Megabytes(ours.IdleWorkingSet))}, peer {(fastapi is null ? "—" : Format.Megabytes(fastapi.IdleWorkingSet))}";
        row.Lines.Add(new ComparisonLine(
            $"Slow streams, {load}: working set per held stream, above the idle process ({idle})",
            Side(ours, t => t.PerStream, t => Format.Kilobytes(t.PerStream), "bytes"),
            Side(fastapi, t => t.PerStream, t => Format.Kilobytes(t.PerStream), "bytes", WebServiceComparison.FastApiName),
            perText,
            perValue));
        string Latency(Target t) => $"{Format.Milliseconds(Percentiles.Median(t.Probe.LatenciesMs))} · {Format.Milliseconds(Percentiles.Of(t.Probe.LatenciesMs, 99))}";
        (string latencyText, double? latencyValue) = Ratio(t => Percentiles.Of(t.Probe.LatenciesMs, 99), "the p99");
        row.Lines.Add(new ComparisonLine(
            $"Slow streams, {load}: chunk latency, upstream send to arrival, p50 · p99 (read directly: {Format.Milliseconds(Percentiles.Median(direct.LatenciesMs))} · {Format.Milliseconds(Percentiles.Of(direct.LatenciesMs, 99))}; a shared machine: noise)",
            Side(ours, t => Percentiles.Of(t.Probe.LatenciesMs, 99), Latency, "ms"),
            Side(fastapi, t => Percentiles.Of(t.Probe.LatenciesMs, 99), Latency, "ms", WebServiceComparison.FastApiName),
            latencyText,
            latencyValue));
    }

    /// <summary>Our service must stream every text exactly; in a smoke run so must the FastAPI stack, or the harness is broken.</summary>
    private static void Check(RowResult row, CompareSettings settings, Target? fastapi, Target? ours)
    {
        if (ours is { Probe.FailedStreams: > 0 })
        {
            row.Fail($"our web service failed {ours.Probe.FailedStreams} of {ours.Probe.Streams} slow streams ({string.Join("; ", ours.Probe.Failures)}).");
        }

        if (fastapi is { Probe.FailedStreams: > 0 })
        {
            string failures = $"the FastAPI proxy failed {fastapi.Probe.FailedStreams} of {fastapi.Probe.Streams} slow streams ({string.Join("; ", fastapi.Probe.Failures)})";
            if (settings.Smoke)
            {
                row.Fail(failures + ".");
            }
            else
            {
                row.Notes.Add(char.ToUpperInvariant(failures[0]) + failures[1..] + ".");
            }
        }

        foreach (Target target in new[] { fastapi, ours }.OfType<Target>().Where(t => t.Held < settings.SlowStreams))
        {
            row.Notes.Add($"{target.Name} held at most {Format.Count(target.Held)} of the {Format.Count(settings.SlowStreams)} streams at once: the others waited, so its memory was measured under less load.");
        }
    }

    /// <summary>This process's soft limit on open files (Linux), or null where /proc does not say.</summary>
    private static long? OpenFileLimit()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields[0] == "unlimited" ? long.MaxValue : long.Parse(fields[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux.
        }

        return null;
    }
}
