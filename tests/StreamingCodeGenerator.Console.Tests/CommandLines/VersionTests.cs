using System.Reflection;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary><c>--version</c> of each program, run as a process: the packages' one version (Directory.Build.props), as the library carries it, without a commit suffix.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class VersionTests
{
    [TestCaseSource(typeof(CliProgram), nameof(CliProgram.All))]
    public async Task Run_Version_PrintsThePackageVersion(CliProgram program)
    {
        using var home = new TempDirectory();
        string library = typeof(StreamingCodeGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        string packageVersion = library.Split('+')[0];

        ScgProcess.Result run = await program.RunAsync(["--version"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be(packageVersion + "\n");
        packageVersion.Should().MatchRegex(@"^\d+\.\d+\.\d+", "the library's version comes from VersionPrefix");
    }
}
