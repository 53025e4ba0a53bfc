using System.Globalization;
using System.Runtime.InteropServices;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>The machine a comparison ran on: printed under the table and kept in the JSON.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Os, string Dotnet, string? Node, string LoadAverage)
{
    public static async Task<MachineInfo> DescribeAsync()
    {
        ChildProcess.Output node = await ChildProcess.RunAsync("node", ["--version"], timeout: TimeSpan.FromSeconds(20));
        return new MachineInfo(
            CpuModel(),
            Environment.ProcessorCount,
            OperatingSystemName(),
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)",
            node.ExitCode == 0 ? node.StandardOutput.Trim() : null,
            LoadAverageNow());
    }

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg: how busy the machine was.</summary>
    public static string LoadAverageNow()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Cpu}, {Cores} cores, {Os}, {Dotnet}, node {Node ?? "absent"}; load average {LoadAverage} at the start");

    private static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string OperatingSystemName()
    {
        try
        {
            foreach (string line in File.ReadLines("/etc/os-release"))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                {
                    string kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
                    return $"{line["PRETTY_NAME=".Length..].Trim('"')} (Linux {kernel})";
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.OSDescription;
    }
}
