using System.Data.Common;
using System.Globalization;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The <c>runs</c> columns both databases share, read and written the same way.</summary>
internal static class RunColumns
{
    public const string Select =
        "SELECT id, started_at, repository, commit_sha, prompt, model, diff, files, prompt_tokens, completion_tokens, " +
        "duration_ms, rounds, verdict, outcome, error, checks FROM runs";

    public const string InsertColumns =
        "(started_at, repository, commit_sha, prompt, model, diff, files, prompt_tokens, completion_tokens, duration_ms, rounds, verdict, outcome, error, checks)";

    public const string InsertValues =
        "(@started_at, @repository, @commit_sha, @prompt, @model, @diff, @files, @prompt_tokens, @completion_tokens, @duration_ms, @rounds, @verdict, @outcome, @error, @checks)";

    /// <summary>Adds every parameter except <c>@started_at</c>, <c>@files</c> and <c>@checks</c>, whose types differ by database.</summary>
    public static void AddCommonParameters(DbCommand command, RunRecord run)
    {
        // Credentials never reach the database, whoever wrote the record.
        MigrationRunner.AddParameter(command, "@repository", RepositorySource.Sanitize(run.Repository));
        MigrationRunner.AddParameter(command, "@commit_sha", run.Commit);
        MigrationRunner.AddParameter(command, "@prompt", run.Prompt);
        MigrationRunner.AddParameter(command, "@model", run.Model);
        MigrationRunner.AddParameter(command, "@diff", run.Diff);
        MigrationRunner.AddParameter(command, "@prompt_tokens", run.PromptTokens);
        MigrationRunner.AddParameter(command, "@completion_tokens", run.CompletionTokens);
        MigrationRunner.AddParameter(command, "@duration_ms", (long)run.Duration.TotalMilliseconds);
        MigrationRunner.AddParameter(command, "@rounds", run.Rounds);
        MigrationRunner.AddParameter(command, "@verdict", run.Verdict.ToString());
        MigrationRunner.AddParameter(command, "@outcome", run.Outcome.ToString());
        MigrationRunner.AddParameter(command, "@error", run.Error);
    }

    public static RunRecord Read(DbDataReader reader, DateTimeOffset startedAt) => new()
    {
        Id = reader.GetInt64(0),
        StartedAt = startedAt,
        Repository = RepositorySource.Sanitize(reader.GetString(2)),
        Commit = reader.IsDBNull(3) ? null : reader.GetString(3),
        Prompt = reader.GetString(4),
        Model = reader.GetString(5),
        Diff = reader.GetString(6),
        Files = RunFilesJson.Read(reader.GetString(7)),
        PromptTokens = reader.GetInt32(8),
        CompletionTokens = reader.GetInt32(9),
        Duration = TimeSpan.FromMilliseconds(reader.GetInt64(10)),
        Rounds = reader.GetInt32(11),
        Verdict = Enum.TryParse(reader.GetString(12), out ReviewVerdict verdict) ? verdict : ReviewVerdict.Unrecognized,
        Outcome = Enum.TryParse(reader.GetString(13), out TransformOutcome outcome) ? outcome : TransformOutcome.Failed,
        Error = reader.IsDBNull(14) ? null : reader.GetString(14),
        Checks = RunChecksJson.Read(reader.IsDBNull(15) ? null : reader.GetString(15)),
    };

    public static string FormatTimestamp(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
