using Microsoft.Extensions.Options;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Security;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>Checks <see cref="WebApiOptions"/> at start-up and names each bad setting by its configuration key.</summary>
internal sealed class WebApiOptionsValidator : IValidateOptions<WebApiOptions>
{
    public ValidateOptionsResult Validate(string? name, WebApiOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string key, string rule)
        {
            if (!condition)
            {
                failures.Add($"{WebApiOptions.SectionName}:{key} {rule}");
            }
        }

        Require(options.MaxPromptCharacters > 0, nameof(options.MaxPromptCharacters), "must be positive.");
        Require(options.MaxRequestBodyBytes > 0, nameof(options.MaxRequestBodyBytes), "must be positive.");
        Require(options.FirstChunkDeadline > TimeSpan.Zero, nameof(options.FirstChunkDeadline), "must be positive.");
        Require(options.ShutdownGracePeriod >= TimeSpan.Zero, nameof(options.ShutdownGracePeriod), "must not be negative.");
        Require(options.DemoSpeed > 0, nameof(options.DemoSpeed), "must be positive.");
        Require(!options.RateLimit.Enabled || options.RateLimit.PermitLimit > 0, "RateLimit:PermitLimit", "must be positive.");
        Require(!options.RateLimit.Enabled || options.RateLimit.Window > TimeSpan.Zero, "RateLimit:Window", "must be positive.");
        Require(options.FailedAuthentication.PermitLimit >= 0, "FailedAuthentication:PermitLimit", "must not be negative (0 turns the limit off).");
        Require(options.FailedAuthentication.Window > TimeSpan.Zero, "FailedAuthentication:Window", "must be positive.");
        // The string may hold a password: the message names the setting, never its value.
        Require(options.Redis.ConnectionString is null || RedisCounters.IsValidConfiguration(options.Redis.ConnectionString), "Redis:ConnectionString", "is not a StackExchange.Redis configuration string (such as host:6379,password=…).");
        Require(options.ApiKeys.All(key => !string.IsNullOrWhiteSpace(key)), nameof(options.ApiKeys), "must not hold empty keys.");
        Require(
            options.Runs.AllowedRepositorySchemes.All(scheme => scheme is "https" or "ssh" or "file"),
            "Runs:AllowedRepositorySchemes",
            "may hold only https, ssh and file.");
        RunSettings runs = options.Runs;
        Require(runs.AllowedRepositoryHosts.All(RepositoryAccess.IsValidHostEntry), "Runs:AllowedRepositoryHosts", "may hold only host, host:port, an address or [IPv6 address]:port.");
        Require(runs.MaxConcurrentRuns > 0, "Runs:MaxConcurrentRuns", "must be positive.");
        Require(runs.CloneTimeout > TimeSpan.Zero, "Runs:CloneTimeout", "must be positive.");
        Require(runs.MaxCloneBytes > 0, "Runs:MaxCloneBytes", "must be positive.");
        Require(runs.MaxFilesScanned > 0, "Runs:MaxFilesScanned", "must be positive.");
        Require(runs.MaxBytesRead > 0, "Runs:MaxBytesRead", "must be positive.");
        Require(runs.MaxFileBytes > 0, "Runs:MaxFileBytes", "must be positive.");
        Require(runs.Checks.All(command => !string.IsNullOrWhiteSpace(command) && !command.Contains('\0', StringComparison.Ordinal)), "Runs:Checks", "must hold only non-empty command lines.");
        Require(runs.CheckTimeout > TimeSpan.Zero, "Runs:CheckTimeout", "must be positive.");
        Require(runs.MaxCheckRevisions is >= 0 and <= CheckOptions.MaxRevisionsLimit, "Runs:MaxCheckRevisions", $"must be from 0 to {CheckOptions.MaxRevisionsLimit}.");
        Require(runs.CheckPassEnvironment.All(name => !string.IsNullOrWhiteSpace(name) && !name.Contains('=', StringComparison.Ordinal)), "Runs:CheckPassEnvironment", "must hold only environment variable names.");
        Require(runs.MaxCheckWorktreeBytes > 0, "Runs:MaxCheckWorktreeBytes", "must be positive.");
        Require(runs.RepositoryCaCertificates is null || File.Exists(runs.RepositoryCaCertificates), "Runs:RepositoryCaCertificates", "must name an existing PEM file.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
