using System.Diagnostics;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Samples a process's working set (and, for this process, the managed heap in use) every few milliseconds on a thread
/// of its own and keeps the peaks: neither figure has a peak counter of its own that can be reset between two sides.
/// Another process is measured with its children (a service with several worker processes), from /proc on Linux.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Process _process;
    private readonly bool _self;
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private volatile bool _stop;

    private MemorySampler(Process process, bool self, TimeSpan interval)
    {
        _process = process;
        _self = self;
        _interval = interval;
        IdleWorkingSet = PeakWorkingSet = WorkingSet();
        if (_self)
        {
            IdleManaged = PeakManaged = GC.GetTotalMemory(forceFullCollection: false);
        }

        _thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>The working set when sampling started.</summary>
    public long IdleWorkingSet { get; }

    public long PeakWorkingSet { get; private set; }

    /// <summary>This process's managed heap in use when sampling started (0 for another process).</summary>
    public long IdleManaged { get; }

    public long PeakManaged { get; private set; }

    /// <summary>Samples this process: working set and managed heap.</summary>
    public static MemorySampler ForThisProcess(TimeSpan interval) => new(Process.GetCurrentProcess(), self: true, interval);

    /// <summary>Samples another process's working set (a service under load).</summary>
    public static MemorySampler For(Process process, TimeSpan interval) => new(process, self: false, interval);

    /// <summary>Stops sampling after one last sample; the peaks are final afterwards.</summary>
    public void Stop()
    {
        _stop = true;
        _thread.Join();
        TakeSample();
    }

    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }

        if (_self)
        {
            _process.Dispose();
        }
    }

    /// <summary>The resident set of the process and, for another process, its descendants (VmRSS from /proc).</summary>
    private long WorkingSet()
    {
        if (!_self && TreeResidentSet(_process.Id) is long tree and > 0)
        {
            return tree;
        }

        _process.Refresh();
        return _process.WorkingSet64;
    }

    private static long? TreeResidentSet(int pid)
    {
        try
        {
            long bytes = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    bytes = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                    break;
                }
            }

            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    bytes += TreeResidentSet(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture)) ?? 0;
                }
            }

            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux, or the process (or a child) just exited.
            return null;
        }
    }

    private void Sample()
    {
        while (!_stop)
        {
            TakeSample();
            Thread.Sleep(_interval);
        }
    }

    private void TakeSample()
    {
        try
        {
            PeakWorkingSet = Math.Max(PeakWorkingSet, WorkingSet());
        }
        catch (InvalidOperationException)
        {
            // The process exited; its peak so far stands.
        }

        if (_self)
        {
            PeakManaged = Math.Max(PeakManaged, GC.GetTotalMemory(forceFullCollection: false));
        }
    }
}
