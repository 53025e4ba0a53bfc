using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.DependencyInjection;

/// <summary>The generator in a host: configuration, start-up validation, the host's services, keyed registrations, HTTP handlers.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddStreamingCodeGenerator_FromAppSettingsSection_StreamsThroughTheConfiguredEndpoint()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("from ", "config"));
        IConfiguration configuration = Configuration(new()
        {
            ["StreamingCodeGenerator:Endpoint"] = server.Endpoint.ToString(),
            ["StreamingCodeGenerator:ApiKey"] = TestGenerators.ApiKey,
            ["StreamingCodeGenerator:Model"] = "gpt-4.1-mini",
            ["StreamingCodeGenerator:MaxRetries"] = "2",
            ["StreamingCodeGenerator:IdleTimeout"] = "00:00:45",
            ["StreamingCodeGenerator:Granularity"] = "Line",
        });
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(configuration.GetSection("StreamingCodeGenerator"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<StreamingCodeGenerator>();
        (string text, _) = await TestGenerators.CollectAsync(generator.GenerateAsync("x"));

        text.Should().Be("from config");
        generator.Options.Model.Should().Be("gpt-4.1-mini");
        generator.Options.MaxRetries.Should().Be(2);
        generator.Options.IdleTimeout.Should().Be(TimeSpan.FromSeconds(45));
        generator.Options.Granularity.Should().Be(ChunkGranularity.Line);
        provider.GetRequiredService<StreamingCodeGenerator>().Should().BeSameAs(generator, "it is a singleton");
        server.Requests.Single().Json.GetProperty("model").GetString().Should().Be("gpt-4.1-mini");
    }

    [Test]
    public void InvalidConfiguration_FailsAtStartUp_NamingTheConfigurationKey()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["Ai:Endpoint"] = "http://127.0.0.1:9/v1",
            ["Ai:MaxRetries"] = "-1",
        });
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(configuration.GetSection("Ai"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var startup = provider.GetRequiredService<IStartupValidator>();

        startup.Invoking(s => s.Validate()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle(f => f.StartsWith("Ai:MaxRetries", StringComparison.Ordinal));
    }

    [Test]
    public void Registration_ValidatesWithThePublicValidator_AndReportsWhatEveryConstructorReports()
    {
        static void Bad(StreamingCodeGeneratorOptions o)
        {
            o.Endpoint = new Uri("http://127.0.0.1:9/v1");
            o.Model = " ";
            o.MaxRetries = -1;
            o.IdleTimeout = TimeSpan.Zero;
        }

        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(Bad);
        using ServiceProvider provider = services.BuildServiceProvider();
        var options = new StreamingCodeGeneratorOptions();
        Bad(options);
        var chatClient = new ScriptedChatClient([]);
        var openAIClient = new OpenAI.Chat.ChatClient("m", new System.ClientModel.ApiKeyCredential("k"), new OpenAI.OpenAIClientOptions { Endpoint = options.Endpoint });

        provider.GetServices<IValidateOptions<StreamingCodeGeneratorOptions>>().Should().ContainSingle()
            .Which.Should().BeOfType<StreamingCodeGeneratorOptionsValidator>();
        IEnumerable<string> atStartUp = provider.GetRequiredService<IStartupValidator>().Invoking(s => s.Validate())
            .Should().Throw<OptionsValidationException>().Which.Failures.Select(f => f["StreamingCodeGenerator:".Length..]);
        List<IEnumerable<string>> fromConstructors =
        [
            Failures(() => new StreamingCodeGenerator(options)),
            Failures(() => new StreamingCodeGenerator(options, new StaticTokenProvider())),
            Failures(() => new StreamingCodeGenerator(openAIClient, options)),
            Failures(() => new StreamingCodeGenerator(chatClient, options)),
        ];

        atStartUp.Should().HaveCount(3).And.Contain(f => f.StartsWith("Model", StringComparison.Ordinal));
        fromConstructors.Should().AllSatisfy(failures => failures.Should().Equal(atStartUp));
    }

    [Test]
    public void SuppliedChatClient_NeedsNoKeyOrEndpoint()
    {
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(o => o.Model = "m").UseChatClient(_ => new ScriptedChatClient([]));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Invoking(s => s.Validate()).Should().NotThrow();
        provider.GetRequiredService<StreamingCodeGenerator>().Should().NotBeNull();
    }

    [Test]
    public async Task KeyedRegistrations_AreSeparateGenerators_ResolvedByKey_InAWebApplication()
    {
        await using var fast = await OpenAITestServer.StartAsync(Respond.Answer("fast answer"));
        await using var smart = await OpenAITestServer.StartAsync(Respond.Answer("smart answer"));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:Fast:Endpoint"] = fast.Endpoint.ToString(),
            ["Models:Fast:Model"] = "gpt-4o-mini",
            ["Models:Smart:Endpoint"] = smart.Endpoint.ToString(),
            ["Models:Smart:Model"] = "gpt-4.1",
        });
        builder.Services.AddKeyedStreamingCodeGenerator("fast", builder.Configuration.GetSection("Models:Fast"));
        builder.Services.AddKeyedStreamingCodeGenerator("smart", builder.Configuration.GetSection("Models:Smart"));
        await using WebApplication app = builder.Build();
        app.MapGet("/fast", ([FromKeyedServices("fast")] StreamingCodeGenerator generator) => Text(generator));
        app.MapGet("/smart", ([FromKeyedServices("smart")] StreamingCodeGenerator generator) => Text(generator));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        (await client.GetStringAsync("/fast")).Should().Be("fast answer");
        (await client.GetStringAsync("/smart")).Should().Be("smart answer");
        smart.Requests.Single().Json.GetProperty("model").GetString().Should().Be("gpt-4.1");

        static async Task<string> Text(StreamingCodeGenerator generator) => (await generator.GenerateAsync("x").ToResultAsync()).Text;
    }

    [Test]
    public async Task HostDelegatingHandler_RunsForEveryRequest()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var services = new ServiceCollection();
        services.AddSingleton<StampingHandler>();
        services.AddStreamingCodeGenerator(o => o.Endpoint = server.Endpoint)
            .HttpClient.AddHttpMessageHandler<StampingHandler>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        await TestGenerators.CollectAsync(provider.GetRequiredService<StreamingCodeGenerator>().GenerateAsync("x"));

        server.Requests.Single().Headers["X-Host-Handler"].Should().Be("ran");
    }

    [Test]
    public async Task HostServices_LoggerFactoryTimeProviderAndMeterFactory_AreUsed()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.StallBeforeHeaders());
        var time = new TimerAwareFakeTimeProvider();
        var logger = new ListLogger();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ILoggerFactory>(new TestGenerators.SingleLoggerFactory(logger));
        services.AddMetrics();
        services.AddStreamingCodeGenerator(o =>
        {
            o.Endpoint = server.Endpoint;
            o.MaxRetries = 0;
            o.FirstChunkTimeout = TimeSpan.FromSeconds(7);
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var meterFactory = provider.GetRequiredService<IMeterFactory>();
        var measured = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            lock (measured)
            {
                measured.Add(instrument.Name);
            }
        });
        listener.Start();

        Task<(Exception?, string)> run = TestGenerators.CollectFailureAsync(provider.GetRequiredService<StreamingCodeGenerator>().GenerateAsync("x"));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(7)).Soon();
        time.Advance(TimeSpan.FromSeconds(7));
        (Exception? error, _) = await run.Soon();

        error.Should().BeOfType<StreamTimeoutException>("the host's clock ran the timeout");
        logger.Entries.Should().Contain(e => e.Id.Id == 5, "the failure was logged through the host's logger factory");
        measured.Should().Contain("gen_ai.client.operation.duration", "the meter came from the host's IMeterFactory");
    }

    [Test]
    public async Task ApiKeyFromTheEnvironment_WhenConfigurationLeavesItOut_ConfigurationWins()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var options = new StreamingCodeGeneratorOptions();
        options.ApplyDefaults(name => name switch
        {
            "OPENAI_BASE_URL" => server.Endpoint.ToString(),
            "OPENAI_API_KEY" => "sk-from-environment",
            _ => null,
        });
        options.Endpoint.Should().Be(server.Endpoint);
        options.ApiKey.Should().Be("sk-from-environment");

        var configured = new StreamingCodeGeneratorOptions { ApiKey = "sk-from-config" };
        configured.ApplyDefaults(name => name == "OPENAI_API_KEY" ? "sk-from-environment" : null);
        configured.ApiKey.Should().Be("sk-from-config");

        var explicitOpenAI = new StreamingCodeGeneratorOptions { Endpoint = new Uri("https://api.openai.com/v1") };
        explicitOpenAI.ApplyDefaults(name => name == "OPENAI_API_KEY" ? "sk-from-environment" : null);
        explicitOpenAI.ApiKey.Should().Be("sk-from-environment", "OpenAI's own endpoint may use OpenAI's key");
    }

    [Test]
    public async Task FailingGeneration_ThroughDiAtTraceLevel_NeverLogsTheKey()
    {
        const string key = "sk-proj-DiLoggingSecret0123456789abcdefABCDEF";
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse(SseEvents.Role(), SseEvents.Content("echo " + key), SseEvents.ErrorEvent("bad key " + key)));
        var logger = new ListLogger();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new TestGenerators.SingleLoggerFactory(logger));
        services.AddStreamingCodeGenerator(o =>
        {
            o.Endpoint = server.Endpoint;
            o.ApiKey = key;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        (Exception? error, _) = await TestGenerators.CollectFailureAsync(provider.GetRequiredService<StreamingCodeGenerator>().GenerateAsync("prompt"));

        error.Should().BeOfType<StreamInterruptedException>();
        logger.Entries.Should().Contain(e => e.Level == LogLevel.Trace, "Trace logging is on");
        logger.Entries.Should().Contain(e => e.Message.Contains("prompt", StringComparison.Ordinal), "the prompt is logged at Trace");
        string fragment = key.Substring(0, 12);
        logger.Entries.Should().OnlyContain(e => !e.Message.Contains(fragment, StringComparison.Ordinal));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    /// <summary>A host's own handler: stamps a header on every request it sees.</summary>
    private sealed class StampingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Host-Handler", "ran");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static IEnumerable<string> Failures(Action create) =>
        create.Should().Throw<OptionsValidationException>().Which.Failures;

    /// <summary>A token provider that is never asked (construction fails first).</summary>
    private sealed class StaticTokenProvider : System.ClientModel.AuthenticationTokenProvider
    {
        public override System.ClientModel.Primitives.GetTokenOptions? CreateTokenOptions(IReadOnlyDictionary<string, object> properties) => new(properties);

        public override System.ClientModel.Primitives.AuthenticationToken GetToken(System.ClientModel.Primitives.GetTokenOptions options, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override ValueTask<System.ClientModel.Primitives.AuthenticationToken> GetTokenAsync(System.ClientModel.Primitives.GetTokenOptions options, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
