using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>
/// A Microsoft.Extensions.AI chat client whose every call plays the next script: updates to yield, then optionally an
/// exception. Records the messages and options it was called with.
/// </summary>
public sealed class ScriptedChatClient(IReadOnlyList<ScriptedChatClient.Script> scripts) : IChatClient
{
    private int _calls;

    /// <summary>One call's behaviour: the updates it yields, then the exception it throws (if any).</summary>
    public sealed record Script(IReadOnlyList<ChatResponseUpdate> Updates, Exception? ThenThrow = null);

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text) { ResponseId = "resp-1", ModelId = "scripted-model" };

    public static ChatResponseUpdate Finish(string reason = "stop", int input = 5, int output = 7) =>
        new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output })])
        {
            FinishReason = new ChatFinishReason(reason),
        };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The generator only streams.");

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Script script;
        lock (Calls)
        {
            Calls.Add((messages.ToList(), options));
            script = scripts[Math.Min(_calls++, scripts.Count - 1)];
        }

        foreach (ChatResponseUpdate update in script.Updates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return update;
        }

        if (script.ThenThrow is not null)
        {
            throw script.ThenThrow;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", new Uri("http://scripted.test:1234/"), "scripted-model") : null;

    public void Dispose()
    {
    }
}
