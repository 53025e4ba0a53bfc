using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>
/// The circuit breaker of a dependency-injection registration (<see cref="CircuitBreakerRegistration"/>): a pipeline in
/// the host's resilience registry, on the host's clock, configured from the generator's configuration section and
/// observed through the standard <c>resilience.polly.*</c> metrics with Microsoft.Extensions.Resilience's enrichment.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CircuitBreakerRegistrationTests
{
    [Test]
    public async Task Registration_TheBreakerLivesInTheResilienceRegistry_OnTheHostsClock_AndKeyedRegistrationsHaveTheirOwn()
    {
        var time = new FakeTimeProvider();
        bool healthy = false;
        await using var server = await OpenAITestServer.StartAsync((context, _) =>
            Volatile.Read(ref healthy) ? Respond.Answer("ok")(context) : Respond.ServerError(503)(context));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        StreamingCodeGeneratorBuilder registration = services.AddStreamingCodeGenerator(o => Configure(o, server.Endpoint));
        StreamingCodeGeneratorBuilder other = services.AddKeyedStreamingCodeGenerator("other", o => Configure(o, server.Endpoint));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<StreamingCodeGenerator>();

        (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>();
        server.RequestCount.Should().Be(2);

        // The registry's pipeline is the very breaker the generator opened: anything else that executes it is refused too.
        registration.ResiliencePipelineName.Should().Be("StreamingCodeGenerator");
        ResiliencePipeline shared = provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(registration.ResiliencePipelineName);
        shared.Invoking(p => p.Execute(() => 1)).Should().Throw<BrokenCircuitException>();

        // Another registration has its own breaker, still closed.
        other.ResiliencePipelineName.Should().Be("StreamingCodeGenerator:other");
        (await FailureAsync(provider.GetRequiredKeyedService<StreamingCodeGenerator>("other"))).Should().BeOfType<ApiException>();
        server.RequestCount.Should().Be(3);

        // The host's clock ends the break: the probe gets through and closes the breaker.
        Volatile.Write(ref healthy, true);
        time.Advance(TimeSpan.FromSeconds(5));
        (await TestGenerators.CollectAsync(generator.GenerateAsync("x")).Soon()).Text.Should().Be("ok");
        (await TestGenerators.CollectAsync(generator.GenerateAsync("x")).Soon()).Text.Should().Be("ok");
        server.RequestCount.Should().Be(5);
    }

    [Test]
    public async Task Registration_BindsTheBreakerFromItsConfigurationSection()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:Endpoint"] = server.Endpoint.ToString(),
            ["Ai:ApiKey"] = TestGenerators.ApiKey,
            ["Ai:CircuitBreaker:FailureRatio"] = "0.25",
            ["Ai:CircuitBreaker:MinimumThroughput"] = "7",
            ["Ai:CircuitBreaker:SamplingDuration"] = "00:01:00",
            ["Ai:CircuitBreaker:BreakDuration"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(configuration.GetSection("Ai"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        CircuitBreakerOptions breaker = provider.GetRequiredService<StreamingCodeGenerator>().Options.CircuitBreaker;

        breaker.Enabled.Should().BeTrue();
        breaker.FailureRatio.Should().Be(0.25);
        breaker.MinimumThroughput.Should().Be(7);
        breaker.SamplingDuration.Should().Be(TimeSpan.FromMinutes(1));
        breaker.BreakDuration.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void Registration_InvalidBreakerSettings_FailAtStartUp_NamingTheConfigurationKey()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:Endpoint"] = "http://127.0.0.1:9/v1",
            ["Ai:CircuitBreaker:FailureRatio"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(configuration.GetSection("Ai"));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Invoking(s => s.Validate()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle(f => f.StartsWith("Ai:CircuitBreaker:FailureRatio must be greater than 0 and at most 1", StringComparison.Ordinal));
    }

    [Test]
    public async Task Registration_Disabled_DeadUpstream_NeverRefuses()
    {
        await using var server = await OpenAITestServer.StartAsync((context, _) => Respond.ServerError(503)(context));
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(o =>
        {
            Configure(o, server.Endpoint);
            o.CircuitBreaker.Enabled = false;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<StreamingCodeGenerator>();

        for (int i = 0; i < 4; i++)
        {
            (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        }

        server.RequestCount.Should().Be(4);
    }

    [Test]
    public async Task OpeningAndClosing_AreReportedAsResiliencePollyMetrics_EnrichedWithTheRequest()
    {
        string key = "metrics-" + Guid.NewGuid().ToString("N");
        var events = new ConcurrentQueue<Dictionary<string, object?>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            var tagged = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                tagged[tag.Key] = tag.Value;
            }

            if (Equals(tagged.GetValueOrDefault("pipeline.name"), "StreamingCodeGenerator:" + key) && Equals(tagged.GetValueOrDefault("strategy.name"), "CircuitBreaker"))
            {
                events.Enqueue(tagged);
            }
        });
        listener.Start();

        var time = new FakeTimeProvider();
        bool healthy = false;
        await using var server = await OpenAITestServer.StartAsync((context, _) =>
            Volatile.Read(ref healthy) ? Respond.Answer("ok")(context) : Respond.ServerError(503)(context));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddKeyedStreamingCodeGenerator(key, o => Configure(o, server.Endpoint));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredKeyedService<StreamingCodeGenerator>(key);

        await FailureAsync(generator);
        await FailureAsync(generator);
        Volatile.Write(ref healthy, true);
        time.Advance(TimeSpan.FromSeconds(5));
        (await TestGenerators.CollectAsync(generator.GenerateAsync("x")).Soon()).Text.Should().Be("ok");

        events.Select(e => e["event.name"]).Should().Equal("OnCircuitOpened", "OnCircuitHalfOpened", "OnCircuitClosed");
        events.Should().AllSatisfy(e =>
        {
            e["request.name"].Should().Be("chat");
            e["request.dependency.name"].Should().Be("openai");
        });
    }

    private static void Configure(StreamingCodeGeneratorOptions options, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.ApiKey = TestGenerators.ApiKey;
        options.MaxRetries = 0;
        options.CircuitBreaker.MinimumThroughput = 2;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }

    private static async Task<Exception?> FailureAsync(StreamingCodeGenerator generator) =>
        (await TestGenerators.CollectFailureAsync(generator.GenerateAsync("x")).Soon()).Error;
}
