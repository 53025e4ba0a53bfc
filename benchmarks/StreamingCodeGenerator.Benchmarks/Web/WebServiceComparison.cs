using System.Globalization;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 5: a streaming web service under load. One paced upstream (<see cref="PacedSseServer"/>, a model's pace), and
/// three ways to read it with the same load: directly (the floor), through the FastAPI stack (benchmarks/fastapi_proxy.py:
/// FastAPI + uvicorn + httpx) and through our web service (samples/StreamingCodeGenerator.WebApi, when present). Each
/// gets wrk (N connections streaming back to back: whole-stream time, errors) and then our probe (N concurrent streams:
/// latency of every chunk from upstream send to arrival, every text exact), while the service's working set is sampled.
/// </summary>
internal static class WebServiceComparison
{
    internal const string FastApiName = "FastAPI + uvicorn + httpx";
    private const string WebAppProject = "samples/StreamingCodeGenerator.WebApi";

    /// <summary>Where to find the two services (defaults: the repository's web app, Debian's python3 or python3 on PATH).</summary>
    public sealed record Options(string? WebApp = null, string? Python = null, int FastApiWorkers = 1, bool Native = false);

    /// <param name="PeakInFlight">The most probe streams the upstream was sending at once: the load the service let through.</param>
    private sealed record Target(string Name, WrkLoad.Result? Wrk, ChunkLatencyProbe.Result Probe, int PeakInFlight, long? PeakWorkingSet)
    {
        public long Streams => Probe.Streams + (Wrk?.Requests ?? 0);

        public long Errors => Probe.FailedStreams + (Wrk?.Errors ?? 0);

        public double P50 => Percentiles.Median(Probe.LatenciesMs);

        public double P99 => Percentiles.Of(Probe.LatenciesMs, 99);
    }

    public static async Task<RowResult> RunAsync(CompareSettings settings, Options options)
    {
        var row = new RowResult(5, "Web service under load");
        string? wrk = await WrkLoad.VersionAsync();
        if (wrk is null)
        {
            row.Notes.Add("wrk not found (apt-get install wrk): whole-stream time under load not measured; per-chunk latency and errors come from our probe alone.");
        }

        await using var upstream = new PacedSseServer(settings.WebChunks, settings.WebChunksPerSecond);
        Target direct = await MeasureAsync("upstream, read directly", new Uri(upstream.Endpoint, "chat/completions"), null, upstream, settings, wrk is not null);
        if (direct.Errors > 0)
        {
            return row.Fail($"reading the paced upstream directly failed {direct.Errors} of {direct.Streams} streams ({string.Join("; ", direct.Probe.Failures)}): the harness is broken.");
        }

        Target? fastapi = null;
        (string? python, string? versions) = await FindPythonAsync(options.Python);
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
                ["-m", "uvicorn", "fastapi_proxy:app", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--workers", options.FastApiWorkers.ToString(CultureInfo.InvariantCulture), "--no-access-log", "--log-level", "warning"],
                RepositoryPaths.Benchmarks,
                new Dictionary<string, string> { ["UPSTREAM_URL"] = upstream.Endpoint.ToString().TrimEnd('/') },
                port);
            fastapi = await MeasureAsync(FastApiName, proxy.ChatCompletions, proxy, upstream, settings, wrk is not null);
            row.Details["fastapiVersions"] = versions;
            row.Details["fastapiWorkers"] = options.FastApiWorkers;
        }

        Target? ours = null;
        WebApp? webApp = await WebApp.FindAsync(options.WebApp, options.Native, row);
        if (webApp is not null)
        {
            Console.Error.WriteLine($"  our web service: {webApp.Path}");
            using ServiceProcess service = await webApp.StartAsync(upstream.Endpoint, ServiceProcess.FreePort());
            ours = await MeasureAsync("our web service", service.ChatCompletions, service, upstream, settings, wrk is not null);
        }

        AddLines(row, settings, direct, fastapi, ours);
        string measured = webApp?.Description ?? "ours not measured";
        if (fastapi is not null && fastapi.PeakInFlight < settings.WebClients)
        {
            row.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"The FastAPI proxy let at most {fastapi.PeakInFlight} of the {settings.WebClients} probe streams through at once (its probe run took {fastapi.Probe.Seconds:0.0} s for {settings.WebChunks / (double)settings.WebChunksPerSecond:0.#} s streams): the others waited for their first chunk, so its per-chunk latency was measured under less load."));
        }

        Check(row, settings, fastapi, ours);
        if (row.Outcome == RowOutcome.Measured && (fastapi is null || ours is null))
        {
            row.Outcome = RowOutcome.Partial;
        }

        row.Details["clients"] = settings.WebClients;
        row.Details["chunksPerStream"] = settings.WebChunks;
        row.Details["chunksPerSecond"] = settings.WebChunksPerSecond;
        row.Details["wrkSeconds"] = settings.WrkSeconds;
        row.Details["wrk"] = wrk;
        row.Details["targets"] = new[] { direct, fastapi, ours }.Where(t => t is not null).Select(t => new
        {
            t!.Name,
            t.Wrk,
            probe = new
            {
                t.Probe.Streams,
                t.Probe.FailedStreams,
                t.Probe.Failures,
                t.Probe.Seconds,
                chunks = t.Probe.LatenciesMs.Length,
                chunkMs = new { p50 = t.P50, p90 = Percentiles.Of(t.Probe.LatenciesMs, 90), p99 = t.P99, max = t.Probe.LatenciesMs.LastOrDefault() },
                firstChunkMs = new { p50 = Percentiles.Median(t.Probe.FirstChunkMs), p99 = Percentiles.Of(t.Probe.FirstChunkMs, 99), max = t.Probe.FirstChunkMs.LastOrDefault() },
            },
            t.PeakInFlight,
            t.PeakWorkingSet,
        });
        row.Notes.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"Web service: a paced loopback upstream ({settings.WebChunks} chunks at {settings.WebChunksPerSecond} chunks/s per stream, each stamped with its send time); {Format.Count(settings.WebClients)} concurrent clients, first wrk ({settings.WrkSeconds} s of back-to-back streams per connection; {wrk ?? "absent"}), then our probe ({Format.Count(settings.WebClients)} streams started over one chunk interval, every chunk timed from upstream send to arrival, every text checked exact). Added latency = the service's percentile minus the same percentile read directly, which is also the probe's own overhead: p50 {Format.Milliseconds(direct.P50)}, p99 {Format.Milliseconds(direct.P99)}. The FastAPI proxy runs as its users would (uvicorn, {(options.FastApiWorkers == 1 ? "one worker, its default" : $"{options.FastApiWorkers} worker processes")}, access log off; --fastapi-workers N for more); {measured}, rate limit off, logging at Warning; each on the same cores as the load (upstream, wrk, probe)."));
        return row;
    }

    private static async Task<Target> MeasureAsync(string name, Uri uri, ServiceProcess? service, PacedSseServer upstream, CompareSettings settings, bool wrk)
    {
        Console.Error.WriteLine($"  {name}: warm-up, {(wrk ? "wrk, " : string.Empty)}probe");
        await ChunkLatencyProbe.RunAsync(uri, Math.Min(settings.WebClients, 20), settings.WebChunks, settings.WebChunksPerSecond);
        using MemorySampler? memory = service is null ? null : MemorySampler.For(service.Process, TimeSpan.FromMilliseconds(50));
        WrkLoad.Result? load = wrk ? await WrkLoad.RunAsync(uri, settings.WebClients, settings.WrkSeconds, settings.WebChunks) : null;

        // wrk stops mid-stream; let the service finish or drop what it still relays before the probe starts clean.
        if (!await upstream.WaitUntilIdleAsync(TimeSpan.FromSeconds(30)))
        {
            Console.Error.WriteLine($"  {name}: {upstream.ActiveStreams} upstream streams still open 30 s after wrk stopped");
        }

        upstream.ResetPeak();
        ChunkLatencyProbe.Result probe = await ChunkLatencyProbe.RunAsync(uri, settings.WebClients, settings.WebChunks, settings.WebChunksPerSecond);
        memory?.Stop();
        return new Target(name, load, probe, upstream.PeakActiveStreams, memory?.PeakWorkingSet);
    }

    private static void AddLines(RowResult row, CompareSettings settings, Target direct, Target? fastapi, Target? ours)
    {
        string load = $"{Format.Count(settings.WebClients)} concurrent streams at {settings.WebChunksPerSecond} chunks/s";
        Figure Side(Target? target, Func<Target, double> value, Func<double, string> text, string unit, string? name = null) =>
            target is null ? Figure.Absent(name is null ? "not present" : "not run", name) : new Figure(text(value(target)), value(target), unit, name);
        (string Text, double? Value) Versus(Target? a, Target? b, Func<Target, double> value, string what)
        {
            if (a is null || b is null)
            {
                return ("—", null);
            }

            double x = value(a), y = value(b);
            return x > 0 && y > 0 ? ($"{Format.Times(x / y)} {what}", x / y) : (Format.SignedMilliseconds(x - y), x - y);
        }

        foreach ((string label, double percent) in new[] { ("p50", 50.0), ("p99", 99.0) })
        {
            double floor = Percentiles.Of(direct.Probe.LatenciesMs, percent);
            double Added(Target t) => Percentiles.Of(t.Probe.LatenciesMs, percent) - floor;
            (string text, double? value) = Versus(ours, fastapi, Added, "the added latency");
            string InFlight(double ms, Target t) => t.PeakInFlight < settings.WebClients ? $"{Format.SignedMilliseconds(ms)} (≤ {Format.Count(t.PeakInFlight)} streams in flight)" : Format.SignedMilliseconds(ms);
            row.Lines.Add(new ComparisonLine(
                $"Web service, {load}: added latency per chunk over reading the upstream directly, {label}",
                Side(ours, Added, ms => InFlight(ms, ours!), "ms"),
                Side(fastapi, Added, ms => InFlight(ms, fastapi!), "ms", FastApiName),
                text,
                value));
        }

        {
            // A service that queues new streams shows it here (and in wrk's count), not in the per-chunk latency.
            double floor50 = Percentiles.Median(direct.Probe.FirstChunkMs), floor99 = Percentiles.Of(direct.Probe.FirstChunkMs, 99);
            double Added50(Target t) => Percentiles.Median(t.Probe.FirstChunkMs) - floor50;
            string Both(Target t) => $"{Format.SignedMilliseconds(Added50(t))} · {Format.SignedMilliseconds(Percentiles.Of(t.Probe.FirstChunkMs, 99) - floor99)}";
            (string text, double? value) = Versus(ours, fastapi, t => Percentiles.Of(t.Probe.FirstChunkMs, 99) - floor99, "the added p99");
            row.Lines.Add(new ComparisonLine(
                $"Web service, {load}: added time to first chunk over direct, p50 · p99 (direct: {Format.Milliseconds(floor50)} · {Format.Milliseconds(floor99)}, one chunk interval included)",
                ours is null ? Figure.Absent("not present") : new Figure(Both(ours), Added50(ours), "ms"),
                fastapi is null ? Figure.Absent("not run", FastApiName) : new Figure(Both(fastapi), Added50(fastapi), "ms", FastApiName),
                text,
                value));
        }

        if (direct.Wrk is not null)
        {
            string wrkLoad = $"wrk, {Format.Count(settings.WebClients)} connections streaming back to back for {settings.WrkSeconds} s";
            (string countText, double? countValue) = Versus(ours, fastapi, t => t.Wrk!.Ok, "the streams");
            row.Lines.Add(new ComparisonLine(
                $"Web service, {wrkLoad}: exact streams completed (direct: {Format.Count(direct.Wrk.Ok)})",
                Side(ours, t => t.Wrk!.Ok, Format.Count, "streams"),
                Side(fastapi, t => t.Wrk!.Ok, Format.Count, "streams", FastApiName),
                countText,
                countValue));
            double Added(Target t) => t.Wrk!.P99Ms - direct.Wrk.P99Ms;
            (string text, double? value) = Versus(ours, fastapi, Added, "the added time");
            row.Lines.Add(new ComparisonLine(
                $"Web service, {wrkLoad}: whole-stream time p99 over direct ({Format.Milliseconds(direct.Wrk.P99Ms)})",
                Side(ours, Added, Format.SignedMilliseconds, "ms"),
                Side(fastapi, Added, Format.SignedMilliseconds, "ms", FastApiName),
                text,
                value));
        }

        row.Lines.Add(new ComparisonLine(
            $"Web service, {load}: failed or inexact streams (wrk + probe)",
            Side(ours, t => t.Errors, v => $"{Format.Count(v)} of {Format.Count(ours!.Streams)}", "streams"),
            Side(fastapi, t => t.Errors, v => $"{Format.Count(v)} of {Format.Count(fastapi!.Streams)}", "streams", FastApiName),
            ours is null || fastapi is null ? "—" : ours.Errors == fastapi.Errors ? "same" : $"{Format.Count(ours.Errors - fastapi.Errors)}",
            ours is null || fastapi is null ? null : ours.Errors - fastapi.Errors));
        (string memoryText, double? memoryValue) = Versus(ours, fastapi, t => t.PeakWorkingSet ?? 0, "the memory");
        row.Lines.Add(new ComparisonLine(
            $"Web service, {load}: peak working set of the service process",
            Side(ours, t => t.PeakWorkingSet ?? 0, Format.Megabytes, "bytes"),
            Side(fastapi, t => t.PeakWorkingSet ?? 0, Format.Megabytes, "bytes", FastApiName),
            memoryText,
            memoryValue));
    }

    /// <summary>Our service must stream every chunk exactly under load; in a smoke run (ten clients) so must the FastAPI stack, or the harness is broken.</summary>
    private static void Check(RowResult row, CompareSettings settings, Target? fastapi, Target? ours)
    {
        if (ours is { Errors: > 0 })
        {
            row.Fail($"our web service failed {ours.Errors} of {ours.Streams} streams ({string.Join("; ", ours.Probe.Failures)}).");
        }

        if (fastapi is { Errors: > 0 })
        {
            string failures = $"the FastAPI proxy failed {fastapi.Errors} of {fastapi.Streams} streams ({string.Join("; ", fastapi.Probe.Failures)})";
            if (settings.Smoke)
            {
                row.Fail(failures + ".");
            }
            else
            {
                row.Notes.Add(char.ToUpperInvariant(failures[0]) + failures[1..] + ".");
            }
        }
    }

    /// <summary>A Python that can import FastAPI, uvicorn and httpx: the one given, Debian's, or python3 on PATH.</summary>
    internal static async Task<(string? Python, string? Versions)> FindPythonAsync(string? given)
    {
        foreach (string candidate in given is not null ? [given] : new[] { "/usr/bin/python3", "python3" })
        {
            ChildProcess.Output output = await ChildProcess.RunAsync(
                candidate,
                ["-c", "import sys, fastapi, uvicorn, httpx; print(f'Python {sys.version.split()[0]}, FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, httpx {httpx.__version__}')"],
                timeout: TimeSpan.FromSeconds(30));
            if (output.ExitCode == 0)
            {
                return (candidate, output.StandardOutput.Trim());
            }
        }

        return (null, null);
    }

    /// <summary>The dotnet host: the one running us when we run as <c>dotnet x.dll</c>, else dotnet on PATH.</summary>
    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
