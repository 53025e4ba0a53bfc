namespace StreamingCodeGeneration;

/// <summary>
/// What to generate: a prompt, or a conversation, plus per-request settings that override
/// <see cref="StreamingCodeGeneratorOptions"/>.
/// </summary>
public sealed class CodeGenerationRequest
{
    /// <summary>Creates an empty request; set <see cref="Prompt"/> or <see cref="Messages"/>.</summary>
    public CodeGenerationRequest()
    {
    }

    /// <summary>Creates a request for a single prompt.</summary>
    /// <param name="prompt">The task, sent as the last user message.</param>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is null, empty or white space.</exception>
    public CodeGenerationRequest(string prompt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        Prompt = prompt;
    }

    /// <summary>Gets or sets the task, sent as the last user message (after <see cref="Messages"/>).</summary>
    public string? Prompt { get; set; }

    /// <summary>Gets or sets an earlier conversation (system, user and assistant turns) to send before <see cref="Prompt"/>.</summary>
    public IReadOnlyList<ConversationMessage> Messages { get; set; } = [];

    /// <summary>
    /// Gets or sets the system prompt. When <see langword="null"/>, <see cref="StreamingCodeGeneratorOptions.SystemPrompt"/>
    /// is used, unless <see cref="Messages"/> already holds a system message; set it to an empty string to send none.
    /// </summary>
    public string? SystemPrompt { get; set; }

    /// <summary>Gets or sets the programming language to write the code in (for example <c>C#</c>); added to the default system prompt.</summary>
    public string? TargetLanguage { get; set; }

    /// <summary>Gets or sets the model (or Azure deployment) for this request, overriding <see cref="StreamingCodeGeneratorOptions.Model"/>.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the sampling temperature (0–2), overriding <see cref="StreamingCodeGeneratorOptions.Temperature"/>.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the output token limit, overriding <see cref="StreamingCodeGeneratorOptions.MaxOutputTokens"/>.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>
    /// Gets or sets where progress goes for a UI: a <see cref="StreamStats"/> snapshot at most every
    /// <see cref="StreamingCodeGeneratorOptions.ProgressInterval"/>, on every retry, and once at the end. A
    /// <see cref="Progress{T}"/> created on a UI thread reports on that thread.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no progress reports.</value>
    public IProgress<StreamStats>? Progress { get; set; }

    /// <summary>Gets or sets up to four sequences at which the model stops.</summary>
    public IReadOnlyList<string> StopSequences { get; set; } = [];

    /// <summary>Checks that the request can be sent.</summary>
    /// <exception cref="ArgumentException">The request has neither a prompt nor messages, or a value is out of range.</exception>
    internal void Validate()
    {
        if (Messages is null)
        {
            throw new ArgumentException("CodeGenerationRequest.Messages must not be null (leave it empty for none).", "request");
        }

        if (string.IsNullOrWhiteSpace(Prompt) && Messages.Count == 0)
        {
            throw new ArgumentException("A CodeGenerationRequest needs a Prompt or at least one message in Messages.", "request");
        }

        foreach (ConversationMessage? message in Messages)
        {
            if (message is null)
            {
                throw new ArgumentException("CodeGenerationRequest.Messages contains a null message.", "request");
            }
        }

        if (Model is not null && string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("CodeGenerationRequest.Model must not be empty or white space (leave it null for the options' model).", "request");
        }

        if (Temperature is float temperature && !(temperature >= 0 && temperature <= 2))
        {
            throw new ArgumentOutOfRangeException("request", Temperature, "CodeGenerationRequest.Temperature must be between 0 and 2.");
        }

        if (StopSequences is null)
        {
            throw new ArgumentException("CodeGenerationRequest.StopSequences must not be null (leave it empty for none).", "request");
        }

        foreach (string? stop in StopSequences)
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException("CodeGenerationRequest.StopSequences must not contain null or empty sequences.", "request");
            }
        }

        if (MaxOutputTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException("request", MaxOutputTokens, "CodeGenerationRequest.MaxOutputTokens must be positive.");
        }

        if (StopSequences is { Count: > 4 })
        {
            throw new ArgumentException("CodeGenerationRequest.StopSequences holds at most four sequences.", "request");
        }
    }
}
