using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// The provider parsers allocate nothing per event but the delta text: events they skip or read only for signals (block
/// bookkeeping, signatures, tool-call deltas, pings) allocate nothing at all.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProviderParserAllocationTests
{
    private const int Rounds = 1_000;

    [TestCase("response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":9,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":\"Hello\",\"logprobs\":[]}", TestName = "Responses_SkippedDoneEvent_AllocatesNothing")]
    [TestCase("response.function_call_arguments.delta", "{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"output_index\":0,\"delta\":\"{\\\"\"}", TestName = "Responses_ToolCallDelta_AllocatesNothing")]
    [TestCase("response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"gpt-5\",\"output\":[],\"usage\":null}}", TestName = "Responses_LifecycleEventOnceIdAndModelAreKnown_AllocatesNothing")]
    [TestCase("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"\",\"logprobs\":[]}", TestName = "Responses_EmptyTextDelta_AllocatesNothing")]
    public void ResponsesParser_EventWithoutText_AllocatesNothing(string eventType, string data)
    {
        var parser = new ResponsesStreamEventParser(SecretRedactor.Default) { NeedId = false, NeedModel = false };
        byte[] bytes = Encoding.UTF8.GetBytes(data);

        Allocated(() => parser.Parse(eventType, bytes)).Should().Be(0);
    }

    [TestCase("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}", TestName = "Anthropic_SignatureDelta_AllocatesNothing")]
    [TestCase("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\"}}", TestName = "Anthropic_InputJsonDelta_AllocatesNothing")]
    [TestCase("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}", TestName = "Anthropic_EmptyTextBlockStart_AllocatesNothing")]
    [TestCase("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}", TestName = "Anthropic_BlockStop_AllocatesNothing")]
    [TestCase("ping", "{\"type\": \"ping\"}", TestName = "Anthropic_Ping_AllocatesNothing")]
    [TestCase("message_stop", "{\"type\":\"message_stop\"}", TestName = "Anthropic_MessageStop_AllocatesNothing")]
    public void AnthropicParser_EventWithoutText_AllocatesNothing(string eventType, string data)
    {
        var parser = new AnthropicStreamEventParser(SecretRedactor.Default) { NeedId = false, NeedModel = false };
        byte[] bytes = Encoding.UTF8.GetBytes(data);

        Allocated(() => parser.Parse(eventType, bytes)).Should().Be(0);
    }

    [Test]
    public void BothParsers_TextDelta_AllocateOnlyTheText()
    {
        var responses = new ResponsesStreamEventParser(SecretRedactor.Default);
        var anthropic = new AnthropicStreamEventParser(SecretRedactor.Default);
        long oneString = Allocated(() => new ProviderStreamEvent { Content = new string('x', 5) });

        Allocated(() => responses.Parse("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\",\"logprobs\":[],\"obfuscation\":\"zb2VZr3u\"}"u8))
            .Should().Be(oneString);
        Allocated(() => anthropic.Parse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"u8))
            .Should().Be(oneString);
    }

    /// <summary>Bytes allocated by one call, the least over many.</summary>
    private static long Allocated(Func<ProviderStreamEvent> parse)
    {
        long least = long.MaxValue;
        parse();
        for (int i = 0; i < Rounds; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            parse();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
