using System.ComponentModel;
using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>One check of a run (<c>WebApi:Runs:Checks</c>), as <c>POST /run</c> and <c>GET /runs/{id}</c> answer it: never its output, which may hold the server's paths.</summary>
internal sealed record RunCheck(
    [property: Description("The round whose diff was checked (1 for the first answer's).")] int Round,
    [property: Description("The command, as the operator configured it.")] string Command,
    [property: Description("Its exit code; null when it ran past WebApi:Runs:CheckTimeout and was killed.")] int? ExitCode,
    double DurationMs,
    bool TimedOut,
    bool Passed)
{
    public static RunCheck From(CheckRun check) =>
        new(check.Round, check.Command, check.ExitCode, Math.Round(check.Duration.TotalMilliseconds, 1), check.TimedOut, check.Passed);
}
