namespace StreamingCodeGeneration.Samples;

/// <summary>The exit codes every command-line sample uses, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Any failure without a more specific code.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is wrong (a missing key or endpoint, an invalid option).</summary>
    public const int Configuration = 2;

    /// <summary>The server refused the credentials (HTTP 401 or 403).</summary>
    public const int Authentication = 3;

    /// <summary>The server's rate limit or quota was reached (HTTP 429), after the retries.</summary>
    public const int RateLimit = 4;

    /// <summary>A first-chunk, idle or total timeout ended the generation.</summary>
    public const int Timeout = 5;

    /// <summary>
    /// The connection failed or broke, the server answered with a 5xx error or a malformed stream, or the circuit breaker
    /// refused to call a server that kept failing.
    /// </summary>
    public const int Connection = 6;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
