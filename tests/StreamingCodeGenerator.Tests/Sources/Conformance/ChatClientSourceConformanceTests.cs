using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>
/// The Microsoft.Extensions.AI source against a chat client that plays the scripts the way an <see cref="IChatClient"/>
/// reports them: updates, an <see cref="ErrorContent"/> in the stream, and the exceptions its HTTP layer throws.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ChatClientSourceConformanceTests : SourceConformanceTests
{
    private protected override Task<IConformanceBackend> StartAsync(params ConformanceScript[] scripts) =>
        Task.FromResult<IConformanceBackend>(new Backend(scripts));

    private sealed class Backend(IReadOnlyList<ConformanceScript> scripts) : IConformanceBackend, IChatClient
    {
        private readonly List<SentAttempt> _sent = [];
        private readonly List<TaskCompletionSource> _closed = [];

        public IChatUpdateSource Source => new ChatClientSource(this, SecretRedactor.Default);

        public bool AsksForUsage => false;

        public IReadOnlyList<SentAttempt> Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public Task ClosedAsync(int index)
        {
            lock (_sent)
            {
                return _closed[index].Task;
            }
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ConformanceScript script;
            TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_sent)
            {
                _sent.Add(new SentAttempt(messages.Select(m => (m.Role.Value, m.Text)).ToList(), AskedForUsage: false));
                _closed.Add(closed);
                script = scripts[_sent.Count - 1];
            }

            try
            {
                if (script.End == ConformanceScript.Ending.Status)
                {
                    throw new HttpRequestException(script.Message, null, (HttpStatusCode)script.Status);
                }

                if (script.Reasoning is not null)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(script.Reasoning)]);
                }

                foreach (string piece in script.Pieces)
                {
                    await Task.Yield();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ResponseId = "resp-1", ModelId = "scripted-model" };
                }

                switch (script.End)
                {
                    case ConformanceScript.Ending.Complete:
                        var usage = new UsageDetails { InputTokenCount = ConformanceScript.InputTokens, OutputTokenCount = script.Pieces.Count, TotalTokenCount = ConformanceScript.InputTokens + script.Pieces.Count };
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)]) { FinishReason = ChatFinishReason.Stop };
                        break;
                    case ConformanceScript.Ending.Cut:
                        throw new IOException("The connection was reset by the peer.");
                    case ConformanceScript.Ending.ErrorEvent:
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [new ErrorContent(script.Message)]);
                        break;
                    case ConformanceScript.Ending.Hang:
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                        break;
                }
            }
            finally
            {
                closed.TrySetResult();
            }
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The generator only streams.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
