using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    /// <summary>The name of the library's logger category, <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string TelemetryName = "StreamingCodeGenerator";

    private readonly GeneratorCore _core;

    /// <summary>
    /// Creates a generator that talks to <see cref="StreamingCodeGeneratorOptions.Endpoint"/> (or <c>OPENAI_BASE_URL</c>, else
    /// OpenAI) with <see cref="StreamingCodeGeneratorOptions.ApiKey"/> (or <c>OPENAI_API_KEY</c> when the endpoint is OpenAI's or
    /// came from the environment). The OpenAI SDK's own retries are off and its network timeout is lifted: this library's
    /// retries and timeouts apply.
    /// </summary>
    /// <param name="options">The settings; copied, so later changes do not affect this generator.</param>
    /// <param name="loggerFactory">Where log lines go (category <c>StreamingCodeGenerator</c>); <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for timeouts, backoff and elapsed times; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="httpClient">
    /// The HTTP client to send through (your handlers, proxy and socket settings apply); <see langword="null"/> for a shared
    /// client that does not follow redirects. Its own timeout should be infinite: this library's timeouts own time.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamingCodeGenerator(StreamingCodeGeneratorOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, HttpClient? httpClient = null)
        : this(GeneratorFactory.Create(GeneratorConnection.Endpoint(tokenProvider: null, httpClient), options, new GeneratorServices(loggerFactory, timeProvider)))
    {
    }

    /// <summary>
    /// Creates a generator that authenticates with Entra ID (keyless, as Azure recommends): each request carries a
    /// bearer token for <c>https://cognitiveservices.azure.com/.default</c> from <paramref name="tokenProvider"/>, which
    /// caches and refreshes it before it expires. Azure.Identity's credentials are token providers:
    /// <c>new StreamingCodeGenerator(options, new DefaultAzureCredential())</c>. <see cref="StreamingCodeGeneratorOptions.ApiKey"/> is not used.
    /// </summary>
    /// <param name="options">The settings (usually <see cref="ModelProvider.AzureOpenAI"/> with the resource endpoint and the deployment as the model); copied.</param>
    /// <param name="tokenProvider">Where tokens come from.</param>
    /// <param name="loggerFactory">Where log lines go (category <c>StreamingCodeGenerator</c>); <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for timeouts, backoff and elapsed times; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="httpClient">The HTTP client to send through; <see langword="null"/> for a shared one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="tokenProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamingCodeGenerator(StreamingCodeGeneratorOptions options, AuthenticationTokenProvider tokenProvider, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, HttpClient? httpClient = null)
        : this(GeneratorFactory.Create(
            GeneratorConnection.Endpoint(tokenProvider ?? throw new ArgumentNullException(nameof(tokenProvider)), httpClient),
            options,
            new GeneratorServices(loggerFactory, timeProvider)))
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
    /// <param name="loggerFactory">Where log lines go (category <c>StreamingCodeGenerator</c>); <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for timeouts, backoff and elapsed times; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamingCodeGenerator(ChatClient client, StreamingCodeGeneratorOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(GeneratorFactory.Create(GeneratorConnection.OpenAIClient(client), options, new GeneratorServices(loggerFactory, timeProvider)))
    {
    }

    /// <summary>
    /// Creates a generator over any Microsoft.Extensions.AI <see cref="IChatClient"/> (OpenAI, Azure AI Inference, Ollama,
    /// a <c>ChatClientBuilder</c> pipeline…): its streaming updates become the same chunks, stats, exact token counts,
    /// timeouts and typed errors, and retries apply only before the first content, as with the OpenAI source. The
    /// client owns the endpoint and credentials; <see cref="StreamingCodeGeneratorOptions.Endpoint"/> and
    /// <see cref="StreamingCodeGeneratorOptions.ApiKey"/> are ignored.
    /// </summary>
    /// <param name="client">The chat client to stream from.</param>
    /// <param name="options">The settings (model, retries, timeouts…); copied.</param>
    /// <param name="loggerFactory">Where log lines go (category <c>StreamingCodeGenerator</c>); <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for timeouts, backoff and elapsed times; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamingCodeGenerator(IChatClient client, StreamingCodeGeneratorOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(GeneratorFactory.Create(GeneratorConnection.ChatClient(client), options, new GeneratorServices(loggerFactory, timeProvider)))
    {
    }

    private StreamingCodeGenerator(GeneratorCore core)
    {
        _core = core;
    }

    /// <summary>
    /// Returns this generator as a Microsoft.Extensions.AI <see cref="IChatClient"/>: any consumer of that abstraction
    /// (agents, Semantic Kernel, a <c>ChatClientBuilder</c> pipeline) gets this generator's retries, timeouts, typed
    /// errors and exact accounting. Streaming updates carry the text, the response and model ids; a final update carries
    /// the finish reason and the usage (the server's, or the exact local output count when it reported none). The
    /// non-streaming call returns the whole response. A system message in the conversation replaces the default system prompt.
    /// </summary>
    /// <returns>A chat client that generates through this generator.</returns>
    public IChatClient AsChatClient() =>
        new GeneratorChatClient(this, _core.Source.Inner.ProviderName, _core.Source.Inner.ServerAddress, _core.Options.Model);

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
        return new CodeGenerationStream(_core, prepared, cancellationToken, request.Progress);
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
    /// every chunk as it arrives (the call the earlier Python service offered as <c>generate_code_with_explanation(prompt, callback)</c>).
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

    /// <summary>A generator made the one way every constructor and dependency injection make one (see <see cref="GeneratorFactory"/>).</summary>
    internal static StreamingCodeGenerator Create(GeneratorConnection connection, StreamingCodeGeneratorOptions options, GeneratorServices? services = null) =>
        new(GeneratorFactory.Create(connection, options, services ?? new GeneratorServices()));
}
