namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>The repository-transform settings (<c>WebApi:Runs</c>).</summary>
public sealed class RunSettings
{
    /// <summary>
    /// Gets or sets where runs are stored: a SQLite file, or a PostgreSQL connection string or URL (what several
    /// instances share).
    /// </summary>
    /// <value>The default is <see langword="null"/>: <c>history.db</c> in the user's local data folder.</value>
    public string? History { get; set; }

    /// <summary>
    /// Gets the URL schemes a <c>repoUrl</c> may use. Only https by default: a <c>file</c> URL or a folder would let any
    /// caller read repositories on the server's disk.
    /// </summary>
    /// <value>The default is <c>https</c>.</value>
    public IList<string> AllowedRepositorySchemes { get; } = [];
}
