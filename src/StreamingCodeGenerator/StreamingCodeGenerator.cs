using System.ClientModel;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace StreamingCodeGeneration;

/// <summary>
/// Streams code and its explanation from an OpenAI-compatible chat model. Thread-safe: one instance serves any
/// number of concurrent generations.
/// </summary>
/// <example>
/// <code>
/// var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { ApiKey = key, Model = "gpt-4o-mini" });
/// CodeGenerationStream stream = generator.GenerateAsync("Write a bubble sort in C#", cancellationToken);
/// await foreach (Chunk chunk in stream) Console.Write(chunk.Text);
/// Console.WriteLine(stream.Stats);
/// </code>
/// </example>
public sealed class StreamingCodeGenerator
{
    private readonly GeneratorCore _core;

    /// <summary>
    /// Creates a generator that talks to <see cref="StreamingCodeGeneratorOptions.Endpoint"/> with its own HTTP pipeline.
    /// The OpenAI SDK's own retries are off and its network timeout is lifted: this library's retries and timeouts apply.
    /// </summary>
    /// <param name="options">The settings; copied, so later changes do not affect this generator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamingCodeGenerator(StreamingCodeGeneratorOptions options)
        : this(options, jitter: null)
    {
    }

    /// <summary>
    /// Creates a generator over a <see cref="ChatClient"/> you configured, for example the one
    /// <c>AzureOpenAIClient.GetChatClient(deployment)</c> returns. Its endpoint, credentials and pipeline are used as they
    /// are, except that for every request this library sends, the client's own retry policy is switched off and its
    /// network timeout lifted, so attempts do not multiply and long streams are not cut;
    /// <see cref="StreamingCodeGeneratorOptions.Endpoint"/> and <see cref="StreamingCodeGeneratorOptions.ApiKey"/> are ignored.
    /// </summary>
    /// <param name="client">The client to send requests through.</param>
    /// <param name="options">The settings (model, retries, timeouts…); copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamingCodeGenerator(ChatClient client, StreamingCodeGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        StreamingCodeGeneratorOptions copy = Validated(options, requiresConnection: false);
        _core = new GeneratorCore(client, copy, copy.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint);
    }

    internal StreamingCodeGenerator(StreamingCodeGeneratorOptions options, Func<double>? jitter, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        StreamingCodeGeneratorOptions copy = Validated(options, requiresConnection: true, environment ?? Environment.GetEnvironmentVariable);
        Uri endpoint = copy.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(SharedHttpClient.Instance),
        };
#pragma warning disable OPENAI001 // The AuthenticationPolicy constructor is marked evaluation-only; it is the SDK's way to send no credentials.
        ChatClient client = string.IsNullOrEmpty(copy.ApiKey)
            ? new ChatClient(copy.Model, new NoAuthenticationPolicy(), clientOptions)
            : new ChatClient(copy.Model, new ApiKeyCredential(copy.ApiKey), clientOptions);
#pragma warning restore OPENAI001
        _core = new GeneratorCore(client, copy, endpoint, jitter);
    }

    internal StreamingCodeGenerator(ChatClient client, StreamingCodeGeneratorOptions options, Func<double>? jitter)
    {
        StreamingCodeGeneratorOptions copy = Validated(options, requiresConnection: false);
        _core = new GeneratorCore(client, copy, copy.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint, jitter);
    }

    /// <summary>Gets a copy of the settings this generator uses.</summary>
    public StreamingCodeGeneratorOptions Options => _core.Options.Clone();

    /// <summary>Starts generating code for a prompt. Nothing is sent until the stream is enumerated.</summary>
    /// <param name="prompt">The task, for example "Write a bubble sort in C#".</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The stream to enumerate.</returns>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is null, empty or white space.</exception>
    public CodeGenerationStream GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        return GenerateAsync(new CodeGenerationRequest(prompt), cancellationToken);
    }

    /// <summary>Starts generating code for a request. Nothing is sent until the stream is enumerated.</summary>
    /// <param name="request">The prompt or conversation and per-request settings.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The stream to enumerate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request has neither a prompt nor messages, or a value is out of range.</exception>
    public CodeGenerationStream GenerateAsync(CodeGenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        PreparedRequest prepared = PreparedRequest.Create(request, _core.Options, _core.Endpoint);
        return new CodeGenerationStream(_core, prepared, cancellationToken);
    }

    /// <summary>
    /// Counts the prompt tokens a request will be billed for (system prompt included), the way OpenAI counts chat
    /// messages, with the model's encoding (or <see cref="StreamingCodeGeneratorOptions.TokenizerEncoding"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The number of prompt tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request has neither a prompt nor messages, or a value is out of range.</exception>
    public int CountPromptTokens(CodeGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        PreparedRequest prepared = PreparedRequest.Create(request, _core.Options, _core.Endpoint);
        return PromptTokenCounter.Count(_core.GetTokenizer(prepared.Model), prepared.Messages);
    }

    /// <summary>
    /// Generates code with its explanation and returns the finished result, calling <paramref name="onChunk"/> for
    /// every chunk as it arrives (the seed's <c>generate_code_with_explanation(prompt, callback)</c>).
    /// </summary>
    /// <param name="prompt">The task.</param>
    /// <param name="onChunk">Called for each chunk, in order, on the enumerating thread; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The result: text, explanation, code blocks and final stats.</returns>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is null, empty or white space.</exception>
    /// <exception cref="StreamProcessingException"><paramref name="onChunk"/> threw; the stream was stopped and the connection closed.</exception>
    /// <exception cref="CodeGenerationException">The generation failed; the exception carries the partial text and stats.</exception>
    /// <exception cref="OperationCanceledException">The generation was cancelled.</exception>
    public Task<CodeGenerationResult> GenerateCodeWithExplanationAsync(string prompt, Action<Chunk>? onChunk = null, CancellationToken cancellationToken = default) =>
        GenerateAsync(prompt, cancellationToken).ConsumeAsync(onChunk, cancellationToken);

    /// <summary>Generates code with its explanation for a request and returns the finished result (see the prompt overload).</summary>
    /// <param name="request">The prompt or conversation and per-request settings.</param>
    /// <param name="onChunk">Called for each chunk, in order; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The result: text, explanation, code blocks and final stats.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="StreamProcessingException"><paramref name="onChunk"/> threw; the stream was stopped and the connection closed.</exception>
    /// <exception cref="CodeGenerationException">The generation failed; the exception carries the partial text and stats.</exception>
    /// <exception cref="OperationCanceledException">The generation was cancelled.</exception>
    public Task<CodeGenerationResult> GenerateCodeWithExplanationAsync(CodeGenerationRequest request, Action<Chunk>? onChunk = null, CancellationToken cancellationToken = default) =>
        GenerateAsync(request, cancellationToken).ConsumeAsync(onChunk, cancellationToken);

    private static StreamingCodeGeneratorOptions Validated(StreamingCodeGeneratorOptions options, bool requiresConnection, Func<string, string?>? environment = null)
    {
        StreamingCodeGeneratorOptions copy = options.Clone();
        if (environment is not null)
        {
            copy.ApplyDefaults(environment);
        }
        else
        {
            copy.ApiKey = copy.ApiKey?.Trim();
        }

        ValidateOptionsResult result = StreamingCodeGeneratorOptionsValidator.Validate(copy, requiresConnection);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(StreamingCodeGeneratorOptions), typeof(StreamingCodeGeneratorOptions), result.Failures);
        }

        return copy;
    }
}
