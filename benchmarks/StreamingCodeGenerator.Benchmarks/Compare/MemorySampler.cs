using System.Diagnostics;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Samples a process's working set (and, for this process, the managed heap in use) every few milliseconds on a thread
/// of its own and keeps the peaks: neither figure has a peak counter of its own that can be reset between two sides.
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
        _process.Refresh();
        IdleWorkingSet = PeakWorkingSet = _process.WorkingSet64;
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
            _process.Refresh();
            PeakWorkingSet = Math.Max(PeakWorkingSet, _process.WorkingSet64);
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
