namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Opens the history a <c>--history</c> value names: a PostgreSQL connection string or URL, else a SQLite file.</summary>
public static class RunHistory
{
    /// <summary>The file name of scg-transform's default history (<see cref="Open(string?)"/>): <c>history.db</c>.</summary>
    public const string DefaultFileName = "history.db";

    /// <summary>
    /// Gets scg-transform's default SQLite file: <c>history.db</c> in a <c>StreamingCodeGenerator</c> folder of the user's
    /// local data folder (<c>%LOCALAPPDATA%</c>, <c>$XDG_DATA_HOME</c> or <c>~/.local/share</c>). Another host gives its
    /// own file name (<see cref="Open(string?, string)"/>), so two programs never share a history unless told to.
    /// </summary>
    /// <exception cref="HistoryException">The system names no local data folder (no home directory).</exception>
    public static string DefaultSqlitePath => DataFolderPath(DefaultFileName);

    /// <summary>Gets the path of a file in the <c>StreamingCodeGenerator</c> folder of the user's local data folder.</summary>
    /// <param name="fileName">The file's name, such as <see cref="DefaultFileName"/>.</param>
    /// <returns>The full path; the folder may not exist yet (the history creates it).</returns>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is empty or not a bare file name.</exception>
    /// <exception cref="HistoryException">The system names no local data folder (no home directory).</exception>
    public static string DataFolderPath(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (Path.GetFileName(fileName) != fileName)
        {
            throw new ArgumentException($"'{fileName}' is not a bare file name.", nameof(fileName));
        }

        // DoNotVerify: the folder may not exist yet (a fresh account, a CI home); the history creates it.
        string folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(folder))
        {
            throw new HistoryException("There is no user data folder for the default run history; name a history file or connection string (--history, or WebApi:Runs:History for the web service).");
        }

        return Path.Combine(folder, "StreamingCodeGenerator", fileName);
    }

    /// <summary>
    /// Whether a value names PostgreSQL: it starts with <c>postgres://</c> or <c>postgresql://</c>, or is a key-value
    /// connection string with a <c>Host</c> (or <c>Server</c>) key.
    /// </summary>
    /// <param name="location">The value.</param>
    /// <returns><see langword="true"/> for PostgreSQL; otherwise the value is a SQLite file path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is <see langword="null"/>.</exception>
    public static bool IsPostgres(string location) => PostgresConnectionString.IsPostgres(location);

    /// <summary>Opens the history at a location, or scg-transform's default file (<see cref="DefaultSqlitePath"/>).</summary>
    /// <param name="location">A PostgreSQL connection string or URL, a SQLite file, or <see langword="null"/> for <see cref="DefaultSqlitePath"/>.</param>
    /// <returns>The history; nothing is opened until it is first used.</returns>
    /// <exception cref="HistoryException">The location cannot be used.</exception>
    public static IRunHistory Open(string? location) => Open(location, DefaultFileName);

    /// <summary>Opens the history at a location, or a host's own default file in the user's data folder.</summary>
    /// <param name="location">A PostgreSQL connection string or URL, a SQLite file, or <see langword="null"/> (or white space) for <paramref name="defaultFileName"/>.</param>
    /// <param name="defaultFileName">The SQLite file's name in the user's data folder (<see cref="DataFolderPath"/>) when no location is given.</param>
    /// <returns>The history; nothing is opened until it is first used.</returns>
    /// <exception cref="ArgumentException"><paramref name="defaultFileName"/> is empty or not a bare file name.</exception>
    /// <exception cref="HistoryException">The location cannot be used.</exception>
    public static IRunHistory Open(string? location, string defaultFileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultFileName);
        if (string.IsNullOrWhiteSpace(location))
        {
            return new SqliteRunHistory(DataFolderPath(defaultFileName));
        }

        return IsPostgres(location) ? new PostgresRunHistory(location) : new SqliteRunHistory(location);
    }
}
