using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Server;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OpenAITestServerTests
{
    [Test]
    public async Task StartAsync_Scripts_BindsLoopbackPortWithV1Endpoint()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        server.Endpoint.Host.Should().Be("127.0.0.1");
        server.Endpoint.Port.Should().BePositive();
        server.Endpoint.AbsolutePath.Should().Be("/v1/");
        server.BaseAddress.Should().Be(new Uri($"http://127.0.0.1:{server.Endpoint.Port}/"));
    }

    [Test]
    public async Task StartAsync_BuildsItsHostOnACleanExecutionContext()
    {
        // WebApplicationFactory finds the host it is waiting for by an async-local while listening for "HostBuilding";
        // a server started inside the application under test must not carry the caller's async-locals into that event.
        var marker = new AsyncLocal<string?> { Value = "caller" };
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        using IDisposable subscription = System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(new ListenerObserver(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new EventObserver(name =>
                {
                    if (name == "HostBuilding")
                    {
                        seen.Enqueue(marker.Value ?? "(none)");
                    }
                }));
            }
        }));

        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        seen.Should().NotBeEmpty("building the server's host is announced").And.NotContain("caller");
        marker.Value.Should().Be("caller");
    }

    private sealed class ListenerObserver(Action<System.Diagnostics.DiagnosticListener> onNext) : IObserver<System.Diagnostics.DiagnosticListener>
    {
        public void OnNext(System.Diagnostics.DiagnosticListener value) => onNext(value);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver(Action<string> onNext) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value) => onNext(value.Key);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    [Test]
    public async Task StartAsync_TwoServers_GetDifferentPorts()
    {
        await using var first = await OpenAITestServer.StartAsync(Respond.Answer("x"));
        await using var second = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        first.Endpoint.Port.Should().NotBe(second.Endpoint.Port);
    }

    [Test]
    public async Task StartAsync_Scripts_RequestNGetsScriptNAndTheLastRepeats()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("first"), Respond.Answer("second"));
        StreamingCodeGenerator generator = server.CreateGenerator();

        string[] texts =
        [
            await Consume.TextAsync(generator.GenerateAsync("a")),
            await Consume.TextAsync(generator.GenerateAsync("b")),
            await Consume.TextAsync(generator.GenerateAsync("c")),
        ];

        texts.Should().Equal("first", "second", "second");
        server.RequestCount.Should().Be(3);
    }

    [Test]
    public async Task Enqueue_AfterTheScriptsRanOut_LaterRequestsTakeQueuedScriptsInOrder()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("one"));
        StreamingCodeGenerator generator = server.CreateGenerator();
        string first = await Consume.TextAsync(generator.GenerateAsync("a"));
        string repeated = await Consume.TextAsync(generator.GenerateAsync("a"));

        server.Enqueue(Respond.Answer("two"), new SseScript().Role().Content("three").Finish().Done());

        string[] later =
        [
            await Consume.TextAsync(generator.GenerateAsync("a")),
            await Consume.TextAsync(generator.GenerateAsync("a")),
            await Consume.TextAsync(generator.GenerateAsync("a")),
        ];
        new[] { first, repeated }.Should().Equal("one", "one");
        later.Should().Equal("two", "three", "three");
    }

    [Test]
    public async Task StartAsync_NoScripts_AnswersWith500SayingWhatToDo()
    {
        await using var server = await OpenAITestServer.StartAsync();

        RawResponse response = await RawHttp.PostAsync(server.BaseAddress);

        response.Status.Should().Be(500);
        response.Text.Should().Contain("No script for request 0").And.Contain("Enqueue");
    }

    [Test]
    public async Task StartAsync_Handler_IsCalledWithEachRequestsIndex()
    {
        await using var server = await OpenAITestServer.StartAsync((context, index) => Respond.Answer($"#{index}")(context));
        StreamingCodeGenerator generator = server.CreateGenerator();

        string first = await Consume.TextAsync(generator.GenerateAsync("a"));
        string second = await Consume.TextAsync(generator.GenerateAsync("b"));

        first.Should().Be("#0");
        second.Should().Be("#1");
    }

    [Test]
    public async Task Enqueue_OnAServerStartedWithAHandler_Throws()
    {
        await using var server = await OpenAITestServer.StartAsync((context, _) => Respond.Answer("x")(context));

        Action enqueue = () => server.Enqueue(Respond.Answer("y"));

        enqueue.Should().Throw<InvalidOperationException>().WithMessage("*handler*");
    }

    [Test]
    public async Task Script_ThrowsBeforeTheHeaders_AnswersWith500NamingTheException()
    {
        await using var server = await OpenAITestServer.StartAsync(_ => throw new InvalidOperationException("my script is broken"));

        RawResponse response = await RawHttp.PostAsync(server.BaseAddress);

        response.Status.Should().Be(500);
        response.Text.Should().Contain("request 0").And.Contain("InvalidOperationException: my script is broken");
    }

    [Test]
    public async Task StartAsync_NullScript_Throws()
    {
        Func<Task> start = () => OpenAITestServer.StartAsync((Func<HttpContext, Task>)null!);

        await start.Should().ThrowAsync<ArgumentNullException>();
    }

    [Test]
    public async Task CreateOptions_Defaults_PointAtTheServerWithTheTestKeyAndNoRetries()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        StreamingCodeGeneratorOptions options = server.CreateOptions();

        options.Endpoint.Should().Be(server.Endpoint);
        options.ApiKey.Should().Be(OpenAITestServer.DefaultApiKey);
        options.Model.Should().Be(OpenAITestServer.DefaultModel);
        options.MaxRetries.Should().Be(0);
        server.CreateOptions(apiKey: null, maxRetries: 2).Should().Match<StreamingCodeGeneratorOptions>(o => o.ApiKey == null && o.MaxRetries == 2);
    }

    [Test]
    public async Task CreateGenerator_Configure_AppliesTheChanges()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        await Consume.TextAsync(server.CreateGenerator(o => o.Model = "my-model").GenerateAsync("hello"));

        server.Requests.Single().Model.Should().Be("my-model");
    }

    [Test]
    public async Task Requests_AfterAGeneration_RecordWhatTheLibrarySent()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        await Consume.TextAsync(server.CreateGenerator(o => o.SystemPrompt = "Be brief.").GenerateAsync("Write a bubble sort"));

        RecordedRequest request = server.Requests.Single();
        request.Index.Should().Be(0);
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/v1/chat/completions");
        request.Authorization.Should().Be("Bearer " + OpenAITestServer.DefaultApiKey);
        request.ApiKey.Should().Be(OpenAITestServer.DefaultApiKey);
        request.Model.Should().Be(OpenAITestServer.DefaultModel);
        request.Stream.Should().BeTrue();
        request.Messages.Select(m => (m.Role, m.Content)).Should().Equal(("system", "Be brief."), ("user", "Write a bubble sort"));
        request.Json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
        request.Headers["content-type"].Should().StartWith("application/json");
    }

    [Test]
    public async Task WaitForRequestAsync_RequestSentLater_CompletesWithIt()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));
        Task<RecordedRequest> waiting = server.WaitForRequestAsync(1);

        await Consume.TextAsync(server.CreateGenerator().GenerateAsync("first"));
        waiting.IsCompleted.Should().BeFalse("only request 0 has been sent");
        await Consume.TextAsync(server.CreateGenerator().GenerateAsync("second"));

        RecordedRequest request = await waiting.Soon();
        request.Index.Should().Be(1);
        request.Messages.Last().Content.Should().Be("second");
    }

    [Test]
    public async Task WaitForRequestAsync_RequestNeverSent_ThrowsTimeoutSayingHowManyArrived()
    {
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { WaitTimeout = TimeSpan.FromMilliseconds(50) }, Respond.Answer("x"));

        Func<Task> wait = () => server.WaitForRequestAsync(0);

        await wait.Should().ThrowAsync<TimeoutException>().WithMessage("Request 0 did not arrive*0 request(s) arrived.");
    }

    [Test]
    public async Task StartAsync_WaitTimeoutZero_ThrowsButInfiniteIsAllowed()
    {
        Func<Task> zero = () => OpenAITestServer.StartAsync(new OpenAITestServerOptions { WaitTimeout = TimeSpan.Zero }, Respond.Answer("x"));
        await using var infinite = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { WaitTimeout = Timeout.InfiniteTimeSpan }, Respond.Answer("x"));

        await zero.Should().ThrowAsync<ArgumentOutOfRangeException>().WithMessage("WaitTimeout must be positive*");
        (await Consume.TextAsync(infinite.CreateGenerator().GenerateAsync("x"))).Should().Be("x");
    }

    [Test]
    public async Task ClientDisconnected_ClientCancelsDuringAStall_Completes()
    {
        await using var server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("partial").Stall());
        using var cancel = new CancellationTokenSource();
        var received = new List<string>();

        Func<Task> consume = async () =>
        {
            await foreach (Chunk chunk in server.CreateGenerator().GenerateAsync("x").WithCancellation(cancel.Token))
            {
                received.Add(chunk.Text);
                await cancel.CancelAsync();
            }
        };

        await consume.Should().ThrowAsync<OperationCanceledException>();
        await server.ClientDisconnected(0).Soon();
        received.Should().Equal("partial");
    }

    [Test]
    public async Task DisposeAsync_RequestStalledBeforeHeaders_AbortsItAndStops()
    {
        var server = await OpenAITestServer.StartAsync(Respond.StallBeforeHeaders());
        using var client = new HttpClient();
        Task<HttpResponseMessage> pending = client.PostAsync(new Uri(server.Endpoint, "chat/completions"), new StringContent("{}"));
        await server.WaitForRequestAsync(0);

        await server.DisposeAsync().AsTask().Soon();

        Func<Task> response = () => pending.Soon();
        await response.Should().ThrowAsync<HttpRequestException>();
        server.ClientDisconnected(0).IsCompleted.Should().BeTrue();
    }

    [Test]
    public async Task ClientDisconnected_NegativeIndex_Throws()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("x"));

        Action act = () => server.ClientDisconnected(-1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public async Task BodyItemKey_InARawScript_HoldsTheRequestBody()
    {
        string? seen = null;
        await using var server = await OpenAITestServer.StartAsync(context =>
        {
            seen = (string)context.Items[OpenAITestServer.BodyItemKey]!;
            return Respond.Answer("x")(context);
        });

        await RawHttp.PostAsync(server.BaseAddress, body: "{\"a\":1}");

        seen.Should().Be("{\"a\":1}");
    }

    [Test]
    public async Task GetRecordedRequest_InARawScript_IsTheRequestBeingAnswered()
    {
        await using var server = await OpenAITestServer.StartAsync(context =>
            Respond.Status(200, context.GetRecordedRequest().Path + context.GetRecordedRequest().QueryString, "text/plain")(context));

        RawResponse response = await RawHttp.PostAsync(server.BaseAddress, "/v1/chat/completions?api-version=2024-10-21");

        response.Text.Should().Be("/v1/chat/completions?api-version=2024-10-21");
    }

    [Test]
    public void GetRecordedRequest_OutsideATestServer_ThrowsSayingWhy()
    {
        Action act = () => new DefaultHttpContext().GetRecordedRequest();

        act.Should().Throw<InvalidOperationException>().WithMessage("*not given by an OpenAITestServer*");
        new DefaultHttpContext().GetTestTimeProvider().Should().BeSameAs(TimeProvider.System);
    }
}
