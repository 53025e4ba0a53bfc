using System.Runtime.InteropServices;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Kills a Unix process group: a check started under <c>setsid</c> leads its own group, whose id is its process id.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Sends SIGKILL to every process of the group; a group that is gone already is not an error.</summary>
    public static void Kill(int groupId)
    {
        if (OperatingSystem.IsWindows() || groupId <= 1)
        {
            return;
        }

        _ = KillCore(-groupId, SigKill);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int KillCore(int pid, int signal);
}
