namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Opens the history a <c>--history</c> value names: a PostgreSQL connection string or URL, else a SQLite file.</summary>
public static class RunHistory
{
    /// <summary>
    /// Gets the default SQLite file: <c>history.db</c> in a <c>StreamingCodeGenerator</c> folder of the user's local data
    /// folder (<c>%LOCALAPPDATA%</c>, <c>$XDG_DATA_HOME</c> or <c>~/.local/share</c>).
    /// </summary>
    /// <exception cref="HistoryException">The system names no local data folder (no home directory).</exception>
    public static string DefaultSqlitePath
    {
        get
        {
            // DoNotVerify: the folder may not exist yet (a fresh account, a CI home); the history creates it.
            string folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(folder))
            {
                throw new HistoryException("There is no user data folder for the default run history; pass --history with a file or connection string.");
            }

            return Path.Combine(folder, "StreamingCodeGenerator", "history.db");
        }
    }

    /// <summary>
    /// Whether a value names PostgreSQL: it starts with <c>postgres://</c> or <c>postgresql://</c>, or is a key-value
    /// connection string with a <c>Host</c> (or <c>Server</c>) key.
    /// </summary>
    /// <param name="location">The value.</param>
    /// <returns><see langword="true"/> for PostgreSQL; otherwise the value is a SQLite file path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is <see langword="null"/>.</exception>
    public static bool IsPostgres(string location) => PostgresConnectionString.IsPostgres(location);

    /// <summary>Opens the history at a location.</summary>
    /// <param name="location">A PostgreSQL connection string or URL, a SQLite file, or <see langword="null"/> for <see cref="DefaultSqlitePath"/>.</param>
    /// <returns>The history; nothing is opened until it is first used.</returns>
    /// <exception cref="HistoryException">The location cannot be used.</exception>
    public static IRunHistory Open(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return new SqliteRunHistory(DefaultSqlitePath);
        }

        return IsPostgres(location) ? new PostgresRunHistory(location) : new SqliteRunHistory(location);
    }
}
