using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace StreamingCodeGeneration;

/// <summary>
/// A <see cref="StreamingCodeGenerator"/> seen as a Microsoft.Extensions.AI <see cref="IChatClient"/>, so any consumer of
/// that abstraction (agents, Semantic Kernel, a <c>ChatClientBuilder</c> pipeline) gets this library's resilience and
/// exact accounting. Streaming updates carry the text (reasoning as <see cref="TextReasoningContent"/>), the response
/// and model ids; a final update carries the finish reason and the usage.
/// </summary>
internal sealed class GeneratorChatClient : IChatClient
{
    private readonly StreamingCodeGenerator _generator;
    private readonly ChatClientMetadata _metadata;

    public GeneratorChatClient(StreamingCodeGenerator generator, string providerName, Uri? providerUri, string defaultModel)
    {
        _generator = generator;
        _metadata = new ChatClientMetadata(providerName, providerUri, defaultModel);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        CodeGenerationStream stream = _generator.GenerateAsync(ToRequest(messages, options), cancellationToken);
        CodeGenerationResult result = await stream.ToResultAsync(cancellationToken).ConfigureAwait(false);
        StreamStats stats = result.Stats;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text) { MessageId = stats.ResponseId })
        {
            ResponseId = stats.ResponseId,
            ModelId = stats.ModelId,
            FinishReason = ToFinishReason(stats),
            Usage = ToUsage(stats),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CodeGenerationStream stream = _generator.GenerateAsync(ToRequest(messages, options), cancellationToken);
        await foreach (Chunk chunk in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            StreamStats progress = stream.Stats;
            AIContent content = chunk.Kind == ChunkKind.Reasoning ? new TextReasoningContent(chunk.Text) : new TextContent(chunk.Text);
            yield return new ChatResponseUpdate(ChatRole.Assistant, [content])
            {
                ResponseId = progress.ResponseId,
                MessageId = progress.ResponseId,
                ModelId = progress.ModelId,
            };
        }

        StreamStats stats = stream.Stats;
        var final = new ChatResponseUpdate(ChatRole.Assistant, [])
        {
            ResponseId = stats.ResponseId,
            MessageId = stats.ResponseId,
            ModelId = stats.ModelId,
            FinishReason = ToFinishReason(stats),
        };
        if (ToUsage(stats) is { } usage)
        {
            final.Contents.Add(new UsageContent(usage));
        }

        yield return final;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(_generator) ? _generator
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The generator owns nothing that needs disposing per client.
    }

    /// <summary>The conversation and options as a request: messages in order (a system message replaces the default system prompt).</summary>
    private static CodeGenerationRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = new List<ConversationMessage>();
        foreach (ChatMessage message in messages)
        {
            MessageRole role = message.Role == ChatRole.System ? MessageRole.System
                : message.Role == ChatRole.Assistant ? MessageRole.Assistant
                : MessageRole.User;
            conversation.Add(new ConversationMessage(role, message.Text));
        }

        return new CodeGenerationRequest
        {
            Messages = conversation,
            Model = options?.ModelId,
            Temperature = options?.Temperature,
            MaxOutputTokens = options?.MaxOutputTokens,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
        };
    }

    private static ChatFinishReason? ToFinishReason(StreamStats stats) => stats.FinishReason switch
    {
        FinishReason.Stop => ChatFinishReason.Stop,
        FinishReason.Length => ChatFinishReason.Length,
        FinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        FinishReason.ToolCalls or FinishReason.FunctionCall => ChatFinishReason.ToolCalls,
        FinishReason.Other => new ChatFinishReason(stats.RawFinishReason!),
        _ => null,
    };

    /// <summary>The server's usage when it reported one, else the exact local count of the output.</summary>
    private static UsageDetails? ToUsage(StreamStats stats)
    {
        if (stats.Usage is { } usage)
        {
            return new UsageDetails
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
                CachedInputTokenCount = usage.CachedInputTokenCount,
                ReasoningTokenCount = usage.ReasoningTokenCount,
            };
        }

        return stats.TokenCount > 0 ? new UsageDetails { OutputTokenCount = stats.TokenCount } : null;
    }
}
