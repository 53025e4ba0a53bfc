namespace StreamingCodeGeneration;

/// <summary>A request resolved against the options: the final message list and settings, ready to serialise.</summary>
internal sealed class PreparedRequest
{
    private PreparedRequest(string model, IReadOnlyList<ConversationMessage> messages, float? temperature, int? maxOutputTokens, IReadOnlyList<string> stopSequences, bool useMaxCompletionTokens)
    {
        Model = model;
        Messages = messages;
        Temperature = temperature;
        MaxOutputTokens = maxOutputTokens;
        StopSequences = stopSequences;
        UseMaxCompletionTokens = useMaxCompletionTokens;
    }

    public string Model { get; }

    public IReadOnlyList<ConversationMessage> Messages { get; }

    public float? Temperature { get; }

    public int? MaxOutputTokens { get; }

    public IReadOnlyList<string> StopSequences { get; }

    public bool UseMaxCompletionTokens { get; }

    public static PreparedRequest Create(CodeGenerationRequest request, StreamingCodeGeneratorOptions options, Uri endpoint)
    {
        var messages = new List<ConversationMessage>(request.Messages.Count + 2);
        bool historyHasSystem = false;
        foreach (ConversationMessage message in request.Messages)
        {
            historyHasSystem |= message.Role == MessageRole.System;
        }

        string? system = request.SystemPrompt ?? (historyHasSystem ? null : options.SystemPrompt);
        if (!string.IsNullOrEmpty(system))
        {
            if (!string.IsNullOrWhiteSpace(request.TargetLanguage))
            {
                system = $"{system} Write the code in {request.TargetLanguage}.";
            }

            messages.Add(ConversationMessage.System(system));
        }

        messages.AddRange(request.Messages);
        if (!string.IsNullOrWhiteSpace(request.Prompt))
        {
            messages.Add(ConversationMessage.User(request.Prompt));
        }

        string host = endpoint.Host;
        bool useMaxCompletionTokens = options.Provider == ModelProvider.AzureOpenAI
            || host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("openai.azure.com", StringComparison.OrdinalIgnoreCase);

        var prepared = new PreparedRequest(
            string.IsNullOrWhiteSpace(request.Model) ? options.Model : request.Model,
            messages,
            request.Temperature ?? options.Temperature,
            request.MaxOutputTokens ?? options.MaxOutputTokens,
            request.StopSequences ?? [],
            useMaxCompletionTokens);
        prepared.CheckProvider(options);
        return prepared;
    }

    /// <summary>What the provider's API cannot take, refused before anything is sent (the options were checked when the generator was made).</summary>
    /// <exception cref="ArgumentException">The request asks for what the provider cannot do; the message names the setting.</exception>
    private void CheckProvider(StreamingCodeGeneratorOptions options)
    {
        if (options.Provider == ModelProvider.OpenAIResponses)
        {
            if (StopSequences.Count > 0)
            {
                throw new ArgumentException(
                    "CodeGenerationRequest.StopSequences: OpenAI's Responses API (ModelProvider.OpenAIResponses) has no stop sequences; leave StopSequences empty, or use ModelProvider.OpenAI (Chat Completions).",
                    "request");
            }

            if (MaxOutputTokens is < StreamingCodeGeneratorOptionsValidator.MinResponsesOutputTokens)
            {
                throw new ArgumentOutOfRangeException("request", MaxOutputTokens, $"CodeGenerationRequest.MaxOutputTokens must be at least {StreamingCodeGeneratorOptionsValidator.MinResponsesOutputTokens} for OpenAI's Responses API.");
            }
        }

        if (options.Provider == ModelProvider.Anthropic && options.ThinkingBudgetTokens is int budget)
        {
            if (Temperature is not null)
            {
                throw new ArgumentException(
                    "CodeGenerationRequest.Temperature cannot be combined with extended thinking (StreamingCodeGeneratorOptions.ThinkingBudgetTokens): Anthropic refuses both together; leave Temperature unset.",
                    "request");
            }

            int limit = MaxOutputTokens ?? AnthropicRequestWriter.DefaultMaxTokens(Model);
            if (limit <= budget)
            {
                throw new ArgumentOutOfRangeException("request", MaxOutputTokens, $"CodeGenerationRequest.MaxOutputTokens ({limit}) must be more than the thinking budget (StreamingCodeGeneratorOptions.ThinkingBudgetTokens, {budget}).");
            }
        }
    }
}
