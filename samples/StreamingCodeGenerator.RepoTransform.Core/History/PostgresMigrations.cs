namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The PostgreSQL schema, one numbered script per version. Add new versions at the end; never edit a shipped one.</summary>
internal static class PostgresMigrations
{
    /// <summary>Serialises migrations across every process that shares the database (a transaction-scoped advisory lock).</summary>
    public const string Lock = "SELECT pg_advisory_xact_lock(5187420213)";

    public const string CreateVersionTable =
        """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER     NOT NULL PRIMARY KEY,
            description TEXT        NOT NULL,
            applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """;

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "runs table",
            """
            CREATE TABLE runs (
                id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                started_at        TIMESTAMPTZ NOT NULL,
                repository        TEXT        NOT NULL,
                commit_sha        TEXT        NULL,
                prompt            TEXT        NOT NULL,
                model             TEXT        NOT NULL,
                diff              TEXT        NOT NULL,
                files             JSONB       NOT NULL,
                prompt_tokens     INTEGER     NOT NULL,
                completion_tokens INTEGER     NOT NULL,
                duration_ms       BIGINT      NOT NULL,
                rounds            INTEGER     NOT NULL,
                verdict           TEXT        NOT NULL,
                outcome           TEXT        NOT NULL,
                error             TEXT        NULL
            );
            CREATE INDEX runs_by_started_at ON runs (started_at DESC);
            """),
        new(2, "checks column: each check run's round, command, exit code, duration and timeout, as JSON",
            """
            ALTER TABLE runs ADD COLUMN checks JSONB NOT NULL DEFAULT '[]'::jsonb;
            """),
    ];
}
