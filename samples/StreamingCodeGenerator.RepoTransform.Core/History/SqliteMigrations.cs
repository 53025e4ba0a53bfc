namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The SQLite schema, one numbered script per version. Add new versions at the end; never edit a shipped one.</summary>
internal static class SqliteMigrations
{
    public const string CreateVersionTable =
        """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """;

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "runs table",
            """
            CREATE TABLE runs (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at        TEXT    NOT NULL,
                repository        TEXT    NOT NULL,
                commit_sha        TEXT    NULL,
                prompt            TEXT    NOT NULL,
                model             TEXT    NOT NULL,
                diff              TEXT    NOT NULL,
                files             TEXT    NOT NULL,
                prompt_tokens     INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                duration_ms       INTEGER NOT NULL,
                rounds            INTEGER NOT NULL,
                verdict           TEXT    NOT NULL,
                outcome           TEXT    NOT NULL,
                error             TEXT    NULL
            );
            CREATE INDEX runs_by_started_at ON runs (started_at);
            """),
        new(2, "checks column: each check run's round, command, exit code, duration and timeout, as JSON",
            """
            ALTER TABLE runs ADD COLUMN checks TEXT NOT NULL DEFAULT '[]';
            """),
    ];
}
