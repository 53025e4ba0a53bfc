using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>
/// The same broken streams through the OpenAI SDK's convenience API and through this library. These pin what README
/// says about the raw SDK: if a future SDK version behaves better, the claim must change.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RawSdkComparisonTests
{
    public enum Fault
    {
        ClosedMidAnswer,
        ErrorEventMidStream,
        ResetMidAnswer,
    }

    [TestCase(Fault.ClosedMidAnswer)]
    [TestCase(Fault.ErrorEventMidStream)]
    public async Task Fault_RawSdkReportsSuccess_WeThrowTypedWithPartialText(Fault fault)
    {
        await using var scenario = await Scenario.StartAsync(fault);

        (string sdkText, Exception? sdkError) = await scenario.RunSdkAsync();
        (string ourText, Exception? ourError) = await scenario.RunOursAsync();

        sdkError.Should().BeNull("the SDK's convenience API completes this broken stream as if it were whole");
        sdkText.Should().Be("partial answer");
        ourError.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("partial answer");
        ourText.Should().Be("partial answer");
    }

    [Test]
    public async Task ResetMidAnswer_RawSdkThrowsUntypedIOException_WeThrowTypedWithPartialText()
    {
        await using var scenario = await Scenario.StartAsync(Fault.ResetMidAnswer);

        (_, Exception? sdkError) = await scenario.RunSdkAsync();
        (string ourText, Exception? ourError) = await scenario.RunOursAsync();

        sdkError.Should().BeOfType<IOException>("the SDK surfaces a reset as a raw transport exception");
        ourError.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("partial answer");
        ourText.Should().Be("partial answer");
    }

    /// <summary>A server replaying one fault, and a signal per request set once that client holds the partial answer.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private const string Partial = "partial answer";
        private readonly TaskCompletionSource[] _received =
        [
            new(TaskCreationOptions.RunContinuationsAsynchronously),
            new(TaskCreationOptions.RunContinuationsAsynchronously),
        ];

        private OpenAITestServer _server = null!;

        public static async Task<Scenario> StartAsync(Fault fault)
        {
            var scenario = new Scenario();
            string[] partial = [SseEvents.Role(), SseEvents.Content("partial "), SseEvents.Content("answer")];
            scenario._server = await OpenAITestServer.StartAsync((context, index) => fault switch
            {
                Fault.ClosedMidAnswer => Respond.Sse(partial)(context),
                Fault.ErrorEventMidStream => Respond.Sse([.. partial, SseEvents.ErrorEvent("The server had an error"), SseEvents.Done])(context),
                _ => Respond.Sse(partial, async c =>
                {
                    // Reset only once the client holds the text: a reset can drop bytes not yet read.
                    await scenario._received[index].Task.WaitAsync(c.RequestAborted);
                    c.Abort();
                })(context),
            });
            return scenario;
        }

        public async Task<(string Text, Exception? Error)> RunSdkAsync()
        {
            var sdk = new ChatClient("gpt-4o-mini", new ApiKeyCredential(ApiKey), new OpenAIClientOptions { Endpoint = _server.Endpoint });
            var text = new StringBuilder();
            try
            {
                await foreach (StreamingChatCompletionUpdate update in sdk.CompleteChatStreamingAsync([new UserChatMessage("x")]))
                {
                    foreach (ChatMessageContentPart part in update.ContentUpdate)
                    {
                        text.Append(part.Text);
                    }

                    Signal(0, text);
                }
            }
            catch (Exception ex)
            {
                return (text.ToString(), ex);
            }

            return (text.ToString(), null);
        }

        public async Task<(string Text, Exception? Error)> RunOursAsync()
        {
            var text = new StringBuilder();
            try
            {
                await foreach (Chunk chunk in Create(Options(_server)).GenerateAsync("x"))
                {
                    text.Append(chunk.Text);
                    Signal(1, text);
                }
            }
            catch (Exception ex)
            {
                return (text.ToString(), ex);
            }

            return (text.ToString(), null);
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();

        private void Signal(int request, StringBuilder text)
        {
            if (text.ToString() == Partial)
            {
                _received[request].TrySetResult();
            }
        }
    }
}
