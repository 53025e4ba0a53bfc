using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>
/// The circuit breaker a generator's generations share (<see cref="UpstreamCircuitBreaker"/>): against a dead upstream
/// it bounds the requests many concurrent generations make, refuses attempts while open without sending anything, lets
/// one probe through after the break, and closes once the upstream answers again.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CircuitBreakerTests
{
    /// <summary>Concurrent generations in the dead-upstream measurement.</summary>
    private const int Generations = 1000;

    [Test]
    public async Task DeadUpstreamAnswering503_ConcurrentGenerations_TheBreakerBoundsTheRequests()
    {
        await using var upstream = await OpenAITestServer.StartAsync((context, _) => Respond.ServerError(503)(context));

        Wave without = await RunWaveAsync(DeadUpstreamGenerator(upstream.Endpoint, breaker: false));
        int requestsWithout = upstream.RequestCount;

        StreamingCodeGenerator generator = DeadUpstreamGenerator(upstream.Endpoint, breaker: true);
        Wave with = await RunWaveAsync(generator);
        int requestsWith = upstream.RequestCount - requestsWithout;
        Wave afterOpen = await RunWaveAsync(generator);
        int requestsAfterOpen = upstream.RequestCount - requestsWithout - requestsWith;

        Report("503", without, with, afterOpen);
        // Without a breaker every generation spends its whole retry budget: 1 + MaxRetries requests each.
        requestsWithout.Should().Be(Generations * 4);
        without.Attempts.Should().Be(requestsWithout);
        without.Failures.Should().AllSatisfy(f => f.Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(503));

        // With it: at most the first attempts, plus the retries that followed the failures the breaker counted before it
        // opened (fewer than its minimum throughput); every attempt after that is refused without a request. (The first
        // failures usually come back before most generations have sent anything, so far fewer than that.)
        int minimumThroughput = new CircuitBreakerOptions().MinimumThroughput;
        requestsWith.Should().Be(with.Attempts);
        requestsWith.Should().BeInRange(minimumThroughput, Generations + minimumThroughput - 1);
        with.Failures.Should().AllSatisfy(f => f.Should().Match(e => e is CircuitOpenException || (e is ApiException && ((ApiException)e).StatusCode == 503)));
        with.Failures.OfType<CircuitOpenException>().Should().NotBeEmpty();

        // Once open, a generation sends nothing at all and fails at once, typed, with empty partial text.
        requestsAfterOpen.Should().Be(0);
        afterOpen.Attempts.Should().Be(0);
        afterOpen.Failures.Should().AllSatisfy(f =>
        {
            CircuitOpenException open = f.Should().BeOfType<CircuitOpenException>().Subject;
            open.PartialText.Should().BeEmpty();
            open.Stats.Attempts.Should().Be(0);
            open.Stats.Status.Should().Be(StreamStatus.Failed);
            open.InnerException.Should().BeNull("the breaker's own exception holds another generation's failure");
        });
    }

    [Test]
    public async Task DeadUpstreamRefusingConnections_ConcurrentGenerations_TheBreakerBoundsTheConnectionAttempts()
    {
        Uri endpoint = ClosedPortEndpoint();

        Wave without = await RunWaveAsync(DeadUpstreamGenerator(endpoint, breaker: false));
        StreamingCodeGenerator generator = DeadUpstreamGenerator(endpoint, breaker: true);
        Wave with = await RunWaveAsync(generator);
        Wave afterOpen = await RunWaveAsync(generator);

        Report("connection refused", without, with, afterOpen);
        without.Attempts.Should().Be(Generations * 4);
        without.Failures.Should().AllSatisfy(f => f.Should().BeOfType<StreamInterruptedException>().Which.Reason.Should().Be(StreamInterruptionReason.ConnectionLost));
        with.Attempts.Should().BeInRange(new CircuitBreakerOptions().MinimumThroughput, Generations + new CircuitBreakerOptions().MinimumThroughput - 1);
        afterOpen.Attempts.Should().Be(0);
        afterOpen.Failures.Should().AllBeOfType<CircuitOpenException>();
    }

    [Test]
    public async Task UpstreamRecovers_AfterTheBreak_OneProbeClosesTheBreaker()
    {
        var time = new FakeTimeProvider();
        bool healthy = false;
        await using var server = await OpenAITestServer.StartAsync((context, _) =>
            Volatile.Read(ref healthy) ? Respond.Answer("ok")(context) : Respond.ServerError(503)(context));
        StreamingCodeGenerator generator = SmallBreakerGenerator(server.Endpoint, time);

        (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        server.RequestCount.Should().Be(2);

        // Open: refused at once, nothing sent, and told when the probe is allowed.
        CircuitOpenException open = (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>().Subject;
        open.RetryAfter.Should().Be(TimeSpan.FromSeconds(5));
        server.RequestCount.Should().Be(2);

        // Still open just before the break ends.
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>();
        server.RequestCount.Should().Be(2);

        // A probe that fails opens it again for another break.
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await FailureAsync(generator)).Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(503);
        server.RequestCount.Should().Be(3);
        (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>();
        server.RequestCount.Should().Be(3);

        // The upstream recovers: after the break the probe gets its answer and the breaker closes.
        Volatile.Write(ref healthy, true);
        time.Advance(TimeSpan.FromSeconds(5));
        (await CollectAsync(generator.GenerateAsync("probe")).Soon()).Text.Should().Be("ok");
        (string, List<Chunk>)[] after = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CollectAsync(generator.GenerateAsync("x")))).Soon();
        after.Select(r => r.Item1).Should().Equal("ok", "ok", "ok");
        server.RequestCount.Should().Be(7);
    }

    [Test]
    public async Task HalfOpen_WhileTheProbeIsOnItsWay_OtherGenerationsFailFast()
    {
        var time = new FakeTimeProvider();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await OpenAITestServer.StartAsync((context, index) => index < 2
            ? Respond.ServerError(503)(context)
            : new StreamingCodeGeneration.Testing.SseScript().WaitFor(release.Task).Role().Content("ok").Finish().Done().Build()(context));
        StreamingCodeGenerator generator = SmallBreakerGenerator(server.Endpoint, time);
        await FailureAsync(generator);
        await FailureAsync(generator);
        time.Advance(TimeSpan.FromSeconds(5));

        Task<(string Text, List<Chunk>)> probe = CollectAsync(generator.GenerateAsync("probe"));
        await server.WaitForRequestAsync(2).Soon();
        CircuitOpenException refused = (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>().Subject;
        server.RequestCount.Should().Be(3);
        release.SetResult();

        (await probe.Soon()).Text.Should().Be("ok");
        refused.Stats.Attempts.Should().Be(0);
        (await CollectAsync(generator.GenerateAsync("x")).Soon()).Text.Should().Be("ok");
    }

    [Test]
    public async Task OpenBreaker_RefusesAContinuation_AndTheFailureKeepsTheTextAlreadyReceived()
    {
        var time = new TimerWatchingTimeProvider();
        CodeGenerationStream? first = null;
        await using var server = await OpenAITestServer.StartAsync(
            new StreamingCodeGeneration.Testing.SseScript().Role().Content("Hello ").CutWhen(() => first!.Stats.CharacterCount > 0).Build(),
            Respond.ServerError(503));
        StreamingCodeGeneratorOptions options = BreakerOptions(server.Endpoint, minimumThroughput: 2);
        options.MaxRetries = 1;
        options.MidStreamRecovery = MidStreamRecovery.Continue;
        StreamingCodeGenerator generator = Create(options, time);

        // The first answer breaks after its first text (an opening that succeeded) and waits its continuation's backoff ...
        first = generator.GenerateAsync("x");
        Task<(Exception? Error, string Received)> broken = CollectFailureAsync(first);
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(1), count: 1).Soon();

        // ... another generation fails before its first content: 1 failure in 2 openings, and the breaker opens.
        Task<(Exception? Error, string Received)> failed = CollectFailureAsync(generator.GenerateAsync("y"));
        await time.WaitForTimersAsync(TimeSpan.FromSeconds(1), count: 2).Soon();
        time.Advance(TimeSpan.FromSeconds(1));

        (Exception? error, string received) = await broken.Soon();
        received.Should().Be("Hello ");
        CircuitOpenException open = error.Should().BeOfType<CircuitOpenException>().Subject;
        open.PartialText.Should().Be("Hello ");
        open.Stats.Attempts.Should().Be(1);
        (await failed.Soon()).Error.Should().BeOfType<CircuitOpenException>().Which.PartialText.Should().BeEmpty();
        server.RequestCount.Should().Be(2);
    }

    [Test]
    public async Task HalfOpen_ProbeCancelledByItsCaller_KeepsTheBreakerOpen()
    {
        var time = new FakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync((context, index) => index < 2
            ? Respond.ServerError(503)(context)
            : new StreamingCodeGeneration.Testing.SseScript().Stall().Build()(context));
        StreamingCodeGenerator generator = SmallBreakerGenerator(server.Endpoint, time);
        await FailureAsync(generator);
        await FailureAsync(generator);
        time.Advance(TimeSpan.FromSeconds(5));

        using var cancellation = new CancellationTokenSource();
        Task<(Exception? Error, string Received)> probe = CollectFailureAsync(generator.GenerateAsync("probe", cancellation.Token));
        await server.WaitForRequestAsync(2).Soon();
        await cancellation.CancelAsync();
        (await probe.Soon()).Error.Should().BeAssignableTo<OperationCanceledException>();

        // The probe proved nothing about the upstream: the breaker is open for another break, nothing more is sent.
        (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(5));
        server.RequestCount.Should().Be(3);
    }

    [Test]
    public async Task FailuresThatAreNotRetried_NeverOpenTheBreaker()
    {
        await using var server = await OpenAITestServer.StartAsync((context, _) => Respond.Unauthorized()(context));
        StreamingCodeGenerator generator = Create(BreakerOptions(server.Endpoint, minimumThroughput: 2), new FakeTimeProvider());

        for (int i = 0; i < 5; i++)
        {
            (await FailureAsync(generator)).Should().BeOfType<AuthenticationFailedException>();
        }

        server.RequestCount.Should().Be(5);
    }

    [Test]
    public async Task Disabled_DeadUpstream_EveryGenerationSpendsItsRetries()
    {
        var time = new FakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync((context, _) => Respond.ServerError(503)(context));
        StreamingCodeGeneratorOptions options = BreakerOptions(server.Endpoint, minimumThroughput: 2);
        options.CircuitBreaker.Enabled = false;
        StreamingCodeGenerator generator = Create(options, time);

        for (int i = 0; i < 5; i++)
        {
            (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        }

        server.RequestCount.Should().Be(5);
    }

    [Test]
    public async Task OptionsChangedAfterConstruction_DoNotReachTheGenerator()
    {
        await using var server = await OpenAITestServer.StartAsync((context, _) => Respond.ServerError(503)(context));
        StreamingCodeGeneratorOptions options = BreakerOptions(server.Endpoint, minimumThroughput: 2);
        StreamingCodeGenerator generator = Create(options, new FakeTimeProvider());
        options.CircuitBreaker.Enabled = false;

        await FailureAsync(generator);
        await FailureAsync(generator);

        (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>();
        generator.Options.CircuitBreaker.Should().NotBeSameAs(options.CircuitBreaker);
        generator.Options.CircuitBreaker.Enabled.Should().BeTrue();
    }

    [TestCase(0.0, "CircuitBreaker:FailureRatio")]
    [TestCase(1.5, "CircuitBreaker:FailureRatio")]
    [TestCase(double.NaN, "CircuitBreaker:FailureRatio")]
    public void InvalidFailureRatio_FailsAtConstruction_NamingIt(double ratio, string name)
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") };
        options.CircuitBreaker.FailureRatio = ratio;

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage($"*{name} must be greater than 0 and at most 1*");
    }

    [Test]
    public void InvalidThresholds_FailAtConstruction_NamingEach()
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") };
        options.CircuitBreaker.MinimumThroughput = 1;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromMilliseconds(100);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromDays(2);

        Action create = () => _ = new StreamingCodeGenerator(options);

        var failures = create.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Failures.ToList();
        failures.Should().Contain(f => f.StartsWith("CircuitBreaker:MinimumThroughput must be at least 2", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("CircuitBreaker:SamplingDuration must be between", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("CircuitBreaker:BreakDuration must be between", StringComparison.Ordinal));
    }

    [Test]
    public void NullBreakerOptions_FailAtConstruction_NamingThem()
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1"), CircuitBreaker = null! };

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*CircuitBreaker must not be null*");
    }

    [Test]
    public void DisabledBreaker_WithOutOfRangeThresholds_IsValid()
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") };
        options.CircuitBreaker.Enabled = false;
        options.CircuitBreaker.MinimumThroughput = 0;

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().NotThrow();
    }

    /// <summary>What one wave of concurrent generations ended with, how many requests it tried, and how long it took.</summary>
    private sealed record Wave(IReadOnlyList<Exception> Failures, int Attempts, TimeSpan Elapsed);

    /// <summary>Runs <see cref="Generations"/> generations at once to their end; each must fail.</summary>
    private static async Task<Wave> RunWaveAsync(StreamingCodeGenerator generator)
    {
        long started = Stopwatch.GetTimestamp();
        (Exception? Error, string Received)[] results = await Task.WhenAll(
            Enumerable.Range(0, Generations).Select(_ => Task.Run(() => CollectFailureAsync(generator.GenerateAsync("x"))))).WaitAsync(TimeSpan.FromMinutes(2));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        var failures = results.Select(r => r.Error ?? throw new AssertionException("a generation against a dead upstream succeeded")).ToList();
        return new Wave(failures, failures.Sum(f => ((CodeGenerationException)f).Stats.Attempts), elapsed);
    }

    /// <summary>The measurement for README (time to fail is not a test threshold).</summary>
    private static void Report(string failure, Wave without, Wave with, Wave afterOpen) =>
        TestContext.Progress.WriteLine(
            $"circuit breaker, {Generations} concurrent generations, upstream {failure}: without {without.Attempts} requests in {without.Elapsed.TotalMilliseconds:F0} ms; " +
            $"with {with.Attempts} requests in {with.Elapsed.TotalMilliseconds:F0} ms; once open {afterOpen.Attempts} requests in {afterOpen.Elapsed.TotalMilliseconds:F0} ms");

    /// <summary>
    /// A generator with the default retry budget and breaker thresholds, against a dead upstream: short real backoff so
    /// the waves end quickly, and a break long enough that no probe falls inside the measurement.
    /// </summary>
    private static StreamingCodeGenerator DeadUpstreamGenerator(Uri endpoint, bool breaker)
    {
        var options = new StreamingCodeGeneratorOptions
        {
            Endpoint = endpoint,
            ApiKey = ApiKey,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        options.CircuitBreaker.Enabled = breaker;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromHours(1);
        return new StreamingCodeGenerator(options);
    }

    /// <summary>A breaker that opens after <paramref name="minimumThroughput"/> attempts, half of them failed, for 5 seconds; no retries.</summary>
    private static StreamingCodeGeneratorOptions BreakerOptions(Uri endpoint, int minimumThroughput)
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = endpoint, ApiKey = ApiKey, MaxRetries = 0 };
        options.CircuitBreaker.MinimumThroughput = minimumThroughput;
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
        return options;
    }

    private static StreamingCodeGenerator SmallBreakerGenerator(Uri endpoint, TimeProvider time) => Create(BreakerOptions(endpoint, minimumThroughput: 2), time);

    private static StreamingCodeGenerator Create(StreamingCodeGeneratorOptions options, TimeProvider time) =>
        StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), options, new GeneratorServices(TimeProvider: time, Environment: NoEnvironment, RetryJitter: false));

    private static async Task<Exception?> FailureAsync(StreamingCodeGenerator generator) =>
        (await CollectFailureAsync(generator.GenerateAsync("x")).Soon()).Error;

    /// <summary>A fake clock that also tells when timers of a given due time have been created (a backoff has begun).</summary>
    private sealed class TimerWatchingTimeProvider : FakeTimeProvider
    {
        private readonly object _lock = new();
        private readonly List<TimeSpan> _created = [];
        private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Signal)> _waiters = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = base.CreateTimer(callback, state, dueTime, period);
            lock (_lock)
            {
                _created.Add(dueTime);
                foreach (var waiter in _waiters.Where(w => Created(w.DueTime) >= w.Count).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Signal.TrySetResult();
                }
            }

            return timer;
        }

        /// <summary>Completes once <paramref name="count"/> timers due after <paramref name="dueTime"/> have been created.</summary>
        public Task WaitForTimersAsync(TimeSpan dueTime, int count)
        {
            lock (_lock)
            {
                if (Created(dueTime) >= count)
                {
                    return Task.CompletedTask;
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((dueTime, count, signal));
                return signal.Task;
            }
        }

        private int Created(TimeSpan dueTime) => _created.Count(d => d == dueTime);
    }

    /// <summary>An endpoint on a loopback port nothing listens on: every connection is refused.</summary>
    private static Uri ClosedPortEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1");
    }
}
