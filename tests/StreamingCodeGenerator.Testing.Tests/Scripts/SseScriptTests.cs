using System.Text;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <summary>Every builder step writes exactly the bytes it documents, one flushed write (one HTTP chunk) per event.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SseScriptTests
{
    private const string Head = "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",";

    private static string Choice(string delta) => "data: " + Head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n";

    private static async Task<RawResponse> SendAsync(Func<HttpContext, Task> script, OpenAITestServerOptions? options = null)
    {
        await using var server = await OpenAITestServer.StartAsync(options ?? new OpenAITestServerOptions(), script);
        return await RawHttp.PostAsync(server.BaseAddress, headers: ("Authorization", "Bearer " + OpenAITestServer.DefaultApiKey));
    }

    [Test]
    public async Task Answer_Contents_WritesTheStandardAnswerOneEventPerWrite()
    {
        RawResponse response = await SendAsync(SseScript.Answer("Hello", ", world"));

        response.Status.Should().Be(200);
        response.Header("Content-Type").Should().Be("text/event-stream");
        response.Header("Cache-Control").Should().Be("no-cache");
        response.Header("Server").Should().BeNull("the server adds no headers of its own beyond Date and framing");
        response.ChunkTexts.Should().Equal(SseEvents.StandardAnswer("Hello", ", world"));
        response.Complete.Should().BeTrue();
    }

    [Test]
    public async Task Answer_ThroughTheLibrary_YieldsTheExactTextAndUsage()
    {
        await using var server = await OpenAITestServer.StartAsync(SseScript.Answer("Hello", ", world"));
        CodeGenerationStream stream = server.CreateGenerator().GenerateAsync("hi");

        string text = await Consume.TextAsync(stream);

        text.Should().Be("Hello, world");
        stream.Stats.FinishReason.Should().Be(FinishReason.Stop);
        stream.Stats.Usage!.InputTokenCount.Should().Be(12);
        stream.Stats.Usage.OutputTokenCount.Should().Be(2);
        stream.Stats.ModelId.Should().Be(SseEvents.Model);
        stream.Stats.ResponseId.Should().Be(SseEvents.Id);
    }

    [Test]
    public async Task Content_HardCharacters_ReachTheLibraryExactly()
    {
        const string Text = "é😀 \"quoted\" back\\slash\n\ttab \u0001 </script>";
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content(Text).Finish().Done());

        string text = await Consume.TextAsync(server.CreateGenerator().GenerateAsync("x"));

        text.Should().Be(Text);
    }

    [Test]
    public async Task ContentInPieces_Text_OneChunkPerPieceAndSurrogatePairsKeptWhole()
    {
        RawResponse response = await SendAsync(new SseScript().ContentInPieces("ab😀cd", 3));

        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"ab😀\"}"), Choice("{\"content\":\"cd\"}"));
    }

    [Test]
    public async Task CodeBlock_WithFileName_WritesAFencedBlockInPieces()
    {
        RawResponse response = await SendAsync(new SseScript().CodeBlock("csharp", "int x = 1;", fileName: "X.cs", pieceLength: 10));

        response.ChunkTexts.Should().Equal(
            Choice("{\"content\":\"```csharp \"}"),
            Choice("{\"content\":\"title=X.cs\"}"),
            Choice("{\"content\":\"\\nint x = 1\"}"),
            Choice("{\"content\":\";\\n```\\n\"}"));
    }

    [Test]
    public async Task CodeBlock_ThroughTheLibrary_IsCollectedWithLanguageAndFileName()
    {
        const string Code = "public static int Add(int a, int b)\n{\n    return a + b;\n}\n";
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("Here it is:\n").CodeBlock("csharp", Code, fileName: "Add.cs", pieceLength: 7).Content("Done.").Finish().Done());

        CodeGenerationResult result = await server.CreateGenerator().GenerateAsync("x").ToResultAsync();

        result.Text.Should().Be("Here it is:\n```csharp title=Add.cs\n" + Code + "```\nDone.");
        CodeBlock block = result.CodeBlocks.Single();
        block.Language.Should().Be("csharp");
        block.FileName.Should().Be("Add.cs");
        block.Code.Should().Be(Code);
    }

    [Test]
    public async Task Reasoning_ReasoningContent_WritesDeepSeeksShape()
    {
        RawResponse response = await SendAsync(new SseScript().Reasoning("think"));

        response.ChunkTexts.Should().Equal(Choice("{\"content\":null,\"reasoning_content\":\"think\"}"));
    }

    [Test]
    public async Task Reasoning_Reasoning_WritesOpenRoutersShape()
    {
        RawResponse response = await SendAsync(new SseScript().Reasoning("think", ReasoningField.Reasoning));

        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"\",\"reasoning\":\"think\"}"));
    }

    [Test]
    public async Task ContentParts_Texts_WritesAPartArray()
    {
        RawResponse response = await SendAsync(new SseScript().ContentParts("a", "b"));

        response.ChunkTexts.Should().Equal(Choice("{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}"));
    }

    [Test]
    public async Task MistralThinking_ThinkingAndText_WritesThinkingPartThenTextPart()
    {
        RawResponse response = await SendAsync(new SseScript().MistralThinking("hmm", "answer").MistralThinking("only thinking"));

        response.ChunkTexts.Should().Equal(
            Choice("{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"hmm\"}]},{\"type\":\"text\",\"text\":\"answer\"}]}"),
            Choice("{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"only thinking\"}]}]}"));
    }

    [Test]
    public async Task Refusal_Text_WritesARefusalDeltaTheLibraryReports()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Refusal("I can't help with that.").Finish().Done());
        CodeGenerationStream stream = server.CreateGenerator().GenerateAsync("x");

        await Consume.TextAsync(stream);

        stream.Stats.Refusal.Should().Be("I can't help with that.");
    }

    [Test]
    public async Task GroqUsage_Counts_WritesUsageUnderXGroqOnTheFinishChunk()
    {
        RawResponse response = await SendAsync(new SseScript().GroqUsage(10, 5));

        response.ChunkTexts.Should().Equal(
            "data: " + Head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_test\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}}\n\n");
    }

    [Test]
    public async Task AzureFilters_PromptResultsThenContent_WriteAzuresShapes()
    {
        const string Safe = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";

        RawResponse response = await SendAsync(new SseScript().AzurePromptFilterResults().AzureContent("hi"));

        response.ChunkTexts.Should().Equal(
            "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":" + Safe + "}]}\n\n",
            "data: " + Head + "\"choices\":[{\"content_filter_results\":" + Safe + ",\"delta\":{\"content\":\"hi\"},\"finish_reason\":null,\"index\":0}]}\n\n");
    }

    [Test]
    public async Task AzureFilters_ThroughTheLibrary_TextIsExactAndFilteringReported()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().AzurePromptFilterResults().Role().AzureContent("Hello").AzureContent(" there", filtered: true).Finish("content_filter").Done());
        CodeGenerationStream stream = server.CreateGenerator().GenerateAsync("x");

        string text = await Consume.TextAsync(stream);

        text.Should().Be("Hello there");
        stream.Stats.ContentFiltered.Should().BeTrue();
        stream.Stats.FinishReason.Should().Be(FinishReason.ContentFilter);
        stream.Stats.IsTruncated.Should().BeTrue();
    }

    [Test]
    public async Task KeepAlive_Comment_WritesACommentTheLibraryIgnores()
    {
        Func<HttpContext, Task> script = new SseScript().Role().KeepAlive().Content("a").KeepAlive("OPENROUTER PROCESSING").Content("b").Finish().Done();
        RawResponse response = await SendAsync(script);
        await using var server = await OpenAITestServer.StartAsync(script);

        string text = await Consume.TextAsync(server.CreateGenerator().GenerateAsync("x"));

        response.ChunkTexts[1].Should().Be(": ping\n\n");
        response.ChunkTexts[3].Should().Be(": OPENROUTER PROCESSING\n\n");
        text.Should().Be("ab");
    }

    [TestCase(SseLineEnding.Lf, "\n")]
    [TestCase(SseLineEnding.CrLf, "\r\n")]
    [TestCase(SseLineEnding.Cr, "\r")]
    public async Task WithLineEnding_EachEnding_FramesEveryEventWithIt(SseLineEnding ending, string newLine)
    {
        RawResponse response = await SendAsync(new SseScript().WithLineEnding(ending).Content("a").KeepAlive().Event("error", "{}").Done());

        response.ChunkTexts.Should().Equal(
            "data: " + Head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}" + newLine + newLine,
            ": ping" + newLine + newLine,
            "event: error" + newLine + "data: {}" + newLine + newLine,
            "data: [DONE]" + newLine + newLine);
    }

    [TestCase(SseLineEnding.Lf)]
    [TestCase(SseLineEnding.CrLf)]
    [TestCase(SseLineEnding.Cr)]
    public async Task WithLineEnding_EachEndingTrickled_TheLibraryReadsTheExactText(SseLineEnding ending)
    {
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().WithLineEnding(ending).Trickle().Role().Content("héllo ", "wörld 😀").Finish().Done());

        string text = await Consume.TextAsync(server.CreateGenerator().GenerateAsync("x"));

        text.Should().Be("héllo wörld 😀");
    }

    [Test]
    public async Task WithLineEnding_SwitchedMidStream_AppliesToLaterEventsOnly()
    {
        RawResponse response = await SendAsync(new SseScript().Done().WithLineEnding(SseLineEnding.CrLf).Done());

        response.ChunkTexts.Should().Equal("data: [DONE]\n\n", "data: [DONE]\r\n\r\n");
    }

    [Test]
    public async Task Trickle_Events_EveryByteIsItsOwnWrite()
    {
        RawResponse response = await SendAsync(new SseScript().Trickle().Content("é").Done());

        byte[] expected = Encoding.UTF8.GetBytes(Choice("{\"content\":\"é\"}") + "data: [DONE]\n\n");
        response.Chunks.Should().AllSatisfy(chunk => chunk.Should().HaveCount(1));
        response.Body.Should().Equal(expected);
    }

    [Test]
    public async Task Raw_TextAndBytes_AreWrittenAsIs()
    {
        RawResponse response = await SendAsync(new SseScript().Raw("data: {\"half\":").Raw([0xFF, 0xC3]).Raw("\n\n"));

        response.Chunks.Should().HaveCount(3);
        response.Chunks[0].Should().Equal(Encoding.UTF8.GetBytes("data: {\"half\":"));
        response.Chunks[1].Should().Equal(0xFF, 0xC3);
        response.Chunks[2].Should().Equal((byte)'\n', (byte)'\n');
    }

    [Test]
    public async Task Data_And_Event_WriteTheirFieldsAsIs()
    {
        RawResponse response = await SendAsync(new SseScript().Data("not json").Event("message", "{\"x\":1}"));

        response.ChunkTexts.Should().Equal("data: not json\n\n", "event: message\ndata: {\"x\":1}\n\n");
    }

    [Test]
    public async Task WithStatusContentTypeAndHeaders_AreSentBeforeTheEvents()
    {
        RawResponse response = await SendAsync(
            new SseScript().WithStatus(201).WithContentType("text/event-stream; charset=utf-8").WithHeader("x-request-id", "req_1").WithHeader("x-multi", "a").WithHeader("x-multi", "b").Done());

        response.Status.Should().Be(201);
        response.Header("Content-Type").Should().Be("text/event-stream; charset=utf-8");
        response.Header("Cache-Control").Should().Be("no-cache");
        response.Header("x-request-id").Should().Be("req_1");
        response.Headers.Where(h => h.Key == "x-multi").Select(h => h.Value).Should().Equal("a", "b");
    }

    [Test]
    public async Task WithContentType_NullOrNotAStream_NoContentTypeOrNoCacheControl()
    {
        RawResponse none = await SendAsync(new SseScript().WithContentType(null).Done());
        RawResponse html = await SendAsync(new SseScript().WithContentType("text/html").Raw("<html></html>"));

        none.Header("Content-Type").Should().BeNull();
        html.Header("Content-Type").Should().Be("text/html");
        html.Header("Cache-Control").Should().BeNull();
        html.Text.Should().Be("<html></html>");
    }

    [Test]
    public async Task WithIdAndModel_CalledLast_ApplyToEveryChunk()
    {
        RawResponse response = await SendAsync(new SseScript().Content("a").Finish().WithId("chatcmpl-9").WithModel("llama3"));

        response.ChunkTexts.Should().AllSatisfy(t => t.Should().StartWith("data: {\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"llama3\","));
    }

    [Test]
    public async Task Pace_FakeClock_WaitsTheIntervalBetweenEventsOnly()
    {
        var time = new TimerAwareFakeTimeProvider();
        TimeSpan interval = TimeSpan.FromMilliseconds(250);
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { TimeProvider = time }, new SseScript().Pace(interval).Content("a", "b", "c"));

        Task<RawResponse> sending = RawHttp.PostAsync(server.BaseAddress);
        for (int i = 0; i < 2; i++)
        {
            await time.WaitForTimerAsync(interval);
            time.Advance(interval);
        }

        RawResponse response = await sending.Soon();
        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"a\"}"), Choice("{\"content\":\"b\"}"), Choice("{\"content\":\"c\"}"));
        time.ArmedDueTimes.Should().Equal(interval, interval);
    }

    [Test]
    public async Task Delay_FakeClock_WaitsOnceWhereItIs()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(
            new OpenAITestServerOptions { TimeProvider = time },
            new SseScript().Content("a").Delay(TimeSpan.FromSeconds(3)).Content("b").Pace(TimeSpan.FromSeconds(1)).Content("c"));

        Task<RawResponse> sending = RawHttp.PostAsync(server.BaseAddress);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        time.Advance(TimeSpan.FromSeconds(3));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        (await sending.Soon()).Chunks.Should().HaveCount(3);
        time.ArmedDueTimes.Should().Equal(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));
    }

    [Test]
    public async Task WaitFor_SignalledOnceTheClientHasTheFirstPiece_TheRestFollows()
    {
        var release = new TaskCompletionSource();
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("first ").WaitFor(release.Task).Content("second").Finish().Done());
        var received = new List<string>();

        await foreach (Chunk chunk in server.CreateGenerator().GenerateAsync("x"))
        {
            received.Add(chunk.Text);
            release.TrySetResult();
        }

        received.Should().Equal("first ", "second");
    }

    [Test]
    public async Task WaitFor_SignalNeverComes_NothingAfterItIsSentAndTheResponseIsCut()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new OpenAITestServerOptions { WaitTimeout = TimeSpan.FromMilliseconds(100) },
            new SseScript().Content("a").WaitFor(new TaskCompletionSource().Task).Content("b").Done());

        RawResponse response = await RawHttp.PostAsync(server.BaseAddress);

        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"a\"}"));
        response.Complete.Should().BeFalse("a script that fails after the headers aborts the connection");
    }

    [Test]
    public async Task WaitUntil_ClientHasReadTheFirstPiece_TheRestFollows()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("abc").WaitUntil(() => stream!.Stats.CharacterCount == 3).Content("def").Finish().Done());
        stream = server.CreateGenerator().GenerateAsync("x");

        string text = await Consume.TextAsync(stream);

        text.Should().Be("abcdef");
    }

    [Test]
    public async Task CutWhen_ClientHasThePartialText_LibraryThrowsInterruptedWithExactlyIt()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("public int ", "Add(int a").CutWhen(() => stream!.Stats.CharacterCount == 20));
        stream = server.CreateGenerator().GenerateAsync("x");

        (Exception? error, string received) = await Consume.FailureAsync(stream);

        received.Should().Be("public int Add(int a");
        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.ConnectionLost);
        interrupted.PartialText.Should().Be("public int Add(int a");
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task Cut_AfterEvents_TheBodyIsNeverTerminated()
    {
        var clientHasIt = new TaskCompletionSource();
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Content("a").WaitFor(clientHasIt.Task).Cut());

        RawResponse response = await RawHttp.PostAsync(server.BaseAddress, received =>
        {
            if (Encoding.UTF8.GetString(received).Contains("\"a\"}", StringComparison.Ordinal))
            {
                clientHasIt.TrySetResult();
            }
        });

        response.Status.Should().Be(200);
        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"a\"}"));
        response.Complete.Should().BeFalse();
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task Stall_AfterAChunk_LibraryIdleTimeoutFires()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("a").Stall());
        CodeGenerationStream stream = server.CreateGenerator(o => o.IdleTimeout = TimeSpan.FromMilliseconds(100)).GenerateAsync("x");

        (Exception? error, string received) = await Consume.FailureAsync(stream);

        received.Should().Be("a");
        error.Should().BeOfType<StreamTimeoutException>().Which.Kind.Should().Be(StreamTimeoutKind.Idle);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task ErrorEvent_MidStream_LibraryThrowsInterruptedWithTheServersMessage()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def sort(xs):").ErrorEvent("Overloaded", code: "overloaded").Done());

        (Exception? error, string received) = await Consume.FailureAsync(server.CreateGenerator().GenerateAsync("x"));

        received.Should().Be("def sort(xs):");
        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.ServerError);
        interrupted.Message.Should().Be("Overloaded");
        interrupted.ErrorType.Should().Be("server_error");
        interrupted.ErrorCode.Should().Be("overloaded");
    }

    [Test]
    public async Task NamedErrorEvent_Default_WritesEventErrorAndTheLibraryThrows()
    {
        Func<HttpContext, Task> script = new SseScript().Role().Content("a").NamedErrorEvent();
        RawResponse response = await SendAsync(script);
        await using var server = await OpenAITestServer.StartAsync(script);

        (Exception? error, _) = await Consume.FailureAsync(server.CreateGenerator().GenerateAsync("x"));

        response.ChunkTexts[^1].Should().Be("event: error\ndata: {\"message\":\"overloaded\"}\n\n");
        error.Should().BeOfType<StreamInterruptedException>().Which.Message.Should().Be("overloaded");
    }

    [Test]
    public async Task MalformedData_MidStream_LibraryThrowsMalformedQuotingIt()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("let x = 1;").MalformedData().Done());

        (Exception? error, _) = await Consume.FailureAsync(server.CreateGenerator().GenerateAsync("x"));

        var malformed = error.Should().BeOfType<MalformedResponseException>().Subject;
        malformed.OffendingLine.Should().Be(SseScript.DefaultMalformedData);
        malformed.PartialText.Should().Be("let x = 1;");
    }

    [Test]
    public async Task NoFinishReasonAndNoDone_LibraryThrowsEndedWithoutFinishReason()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("abc", "def"));

        (Exception? error, _) = await Consume.FailureAsync(server.CreateGenerator().GenerateAsync("x"));

        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.EndedWithoutFinishReason);
        interrupted.PartialText.Should().Be("abcdef");
    }

    [Test]
    public async Task EchoApiKey_InContentAndHeader_SendsTheRequestsKey()
    {
        RawResponse response = await SendAsync(new SseScript().EchoApiKeyInHeader().EchoApiKey());

        response.Header("x-request-id").Should().Be(OpenAITestServer.DefaultApiKey);
        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"Your key is " + OpenAITestServer.DefaultApiKey + ".\"}"));
    }

    [Test]
    public async Task ContentFrom_Request_QuotesThePrompt()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().ContentFrom(r => "You said: " + r.Messages[^1].Content).Finish().Done());

        string text = await Consume.TextAsync(server.CreateGenerator().GenerateAsync("ping"));

        text.Should().Be("You said: ping");
    }

    [Test]
    public async Task Then_CustomCode_RunsLast()
    {
        RawResponse response = await SendAsync(new SseScript().Content("a").Then(context => context.Response.WriteAsync("custom")));

        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"a\"}"), "custom");
    }

    [Test]
    public void AddStep_AfterAnEnding_ThrowsNamingTheEnding()
    {
        SseScript script = new SseScript().Content("a").Stall();

        Action add = () => script.Content("b");

        add.Should().Throw<InvalidOperationException>().WithMessage("The script already ends with Stall(); add steps before it.");
    }

    [Test]
    public async Task Build_BuilderChangedAfterwards_TheBuiltScriptIsUnchanged()
    {
        var builder = new SseScript().Content("a");
        Func<HttpContext, Task> built = builder.Build();
        builder.Content("b").WithStatus(500);

        RawResponse response = await SendAsync(built);

        response.Status.Should().Be(200);
        response.ChunkTexts.Should().Equal(Choice("{\"content\":\"a\"}"));
    }

    [Test]
    public void Arguments_OutOfRange_Throw()
    {
        var script = new SseScript();

        script.Invoking(s => s.WithStatus(99)).Should().Throw<ArgumentOutOfRangeException>();
        script.Invoking(s => s.Pace(TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
        script.Invoking(s => s.ContentInPieces("abc", 0)).Should().Throw<ArgumentOutOfRangeException>();
        script.Invoking(s => s.WithLineEnding((SseLineEnding)7)).Should().Throw<ArgumentOutOfRangeException>();
        script.Invoking(s => s.Content(null!)).Should().Throw<ArgumentNullException>();
    }
}
