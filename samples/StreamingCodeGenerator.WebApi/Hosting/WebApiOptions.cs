namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>The service's own settings: section <c>WebApi</c> of the configuration (<c>WebApi__MaxPromptCharacters=8000</c>…).</summary>
public sealed class WebApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "WebApi";

    /// <summary>Gets or sets the longest prompt (the <c>prompt</c> field, or the last user message), in characters.</summary>
    /// <value>The default is 5,000.</value>
    public int MaxPromptCharacters { get; set; } = 5000;

    /// <summary>Gets or sets the largest request body, in bytes; a larger one is answered 413.</summary>
    /// <value>The default is 256 KiB.</value>
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets how long the service waits for the model's first chunk, retries included, before it answers 504. The
    /// response is committed only once that chunk has arrived, so every failure before it gets its own status code.
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan FirstChunkDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets how long running streams may go on after shutdown begins; then they are cancelled and end with an
    /// in-band error. The host's shutdown timeout is set 5 seconds longer, so those endings reach the clients.
    /// </summary>
    /// <value>The default is 25 seconds.</value>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Gets or sets whether the OpenAPI document (<c>/openapi/v1.json</c>) and Swagger UI (<c>/docs</c>) are served.</summary>
    /// <value>The default is <see langword="true"/>, in every environment.</value>
    public bool ApiDocs { get; set; } = true;

    /// <summary>
    /// Gets or sets the keys clients must send (<c>Authorization: Bearer KEY</c> or <c>api-key: KEY</c>) to use the API.
    /// Empty: no authentication. The page, <c>/health</c> and the documents stay open.
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>
    /// Gets or sets the models a client may ask for in <c>/v1/chat/completions</c>' <c>model</c>. Any other name (OpenAI
    /// clients always send one) is answered by the configured model, which the response names.
    /// </summary>
    /// <value>The default is empty: always the configured model.</value>
    public IList<string> AllowedModels { get; } = [];

    /// <summary>Gets or sets the offline demo's replay speed (1 is the recorded pace); used only when no model is configured.</summary>
    /// <value>The default is 1.</value>
    public double DemoSpeed { get; set; } = 1.0;

    /// <summary>Gets the CORS settings.</summary>
    public CorsSettings Cors { get; } = new();

    /// <summary>Gets the per-client rate limit.</summary>
    public RateLimitSettings RateLimit { get; } = new();

    /// <summary>Gets the limit on wrong API keys per client address.</summary>
    public FailedAuthenticationSettings FailedAuthentication { get; } = new();

    /// <summary>Gets where several instances share their limits (Redis).</summary>
    public RedisSettings Redis { get; } = new();

    /// <summary>Gets the repository-transform settings (<c>POST /run</c>).</summary>
    public RunSettings Runs { get; } = new();
}
