using System.ClientModel;
using System.ClientModel.Primitives;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Transport;

/// <summary>Azure OpenAI as a first-class provider: the exact path, query and credential header that reach the server.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AzureOpenAITests
{
    private const string AzureKey = "0123456789abcdef0123456789abcdef";

    [Test]
    public async Task V1Endpoint_SendsTheKeyInTheApiKeyHeader_AndTheDeploymentAsTheModel()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var options = new StreamingCodeGeneratorOptions
        {
            Provider = ModelProvider.AzureOpenAI,
            Endpoint = new Uri(server.Endpoint, "/openai/v1/"),
            ApiKey = AzureKey,
            Model = "my-gpt-4o-deployment",
            MaxOutputTokens = 100,
        };

        (string text, _) = await CollectAsync(Create(options).GenerateAsync("x"));

        text.Should().Be("ok");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/openai/v1/chat/completions");
        request.Headers["api-key"].Should().Be(AzureKey);
        request.Headers.Should().NotContainKey("Authorization");
        request.Json.GetProperty("model").GetString().Should().Be("my-gpt-4o-deployment");
        request.Json.GetProperty("max_completion_tokens").GetInt32().Should().Be(100);
    }

    [Test]
    public async Task ClassicEndpoint_UsesTheDeploymentPath_AndTheApiVersion()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var options = new StreamingCodeGeneratorOptions
        {
            Provider = ModelProvider.AzureOpenAI,
            Endpoint = new Uri(server.Endpoint, "/"),
            ApiKey = AzureKey,
            Model = "my-deployment",
            AzureApiVersion = "2025-01-01-preview",
        };

        (string text, _) = await CollectAsync(Create(options).GenerateAsync("x"));

        text.Should().Be("ok");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/openai/deployments/my-deployment/chat/completions");
        request.QueryString.Should().Be("?api-version=2025-01-01-preview");
        request.Headers["api-key"].Should().Be(AzureKey);
    }

    [Test]
    public async Task EntraId_SendsABearerTokenForTheCognitiveServicesScope_AndRefreshesItBeforeExpiry()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var time = new TimerAwareFakeTimeProvider();
        var tokens = new FakeTokenProvider(time, lifetime: TimeSpan.FromMinutes(60));
        var options = new StreamingCodeGeneratorOptions
        {
            Provider = ModelProvider.AzureOpenAI,
            Endpoint = new Uri(server.Endpoint, "/openai/v1/"),
            Model = "dep",
        };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(tokens, null), options, new GeneratorServices(TimeProvider: time, Environment: NoEnvironment));

        await CollectAsync(generator.GenerateAsync("x"));
        time.Advance(TimeSpan.FromMinutes(54)); // six minutes left: still used
        await CollectAsync(generator.GenerateAsync("y"));
        time.Advance(TimeSpan.FromMinutes(2));  // four minutes left: replaced before it expires
        await CollectAsync(generator.GenerateAsync("z"));

        tokens.Scopes.Should().NotBeEmpty().And.OnlyContain(scope => scope == "https://cognitiveservices.azure.com/.default");
        server.Requests.Select(r => r.Headers["Authorization"]).Should().Equal("Bearer token-1", "Bearer token-1", "Bearer token-2");
        server.Requests.Should().OnlyContain(r => !r.Headers.ContainsKey("api-key"));
    }

    [Test]
    public async Task EntraId_TokenStillValid_IsReused()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var tokens = new FakeTokenProvider(TimeProvider.System, lifetime: TimeSpan.FromHours(1));
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.AzureOpenAI, Endpoint = new Uri(server.Endpoint, "/openai/v1/"), Model = "dep" };
        var generator = new StreamingCodeGenerator(options, tokens);

        await CollectAsync(generator.GenerateAsync("x"));
        await CollectAsync(generator.GenerateAsync("y"));

        server.Requests.Select(r => r.Headers["Authorization"]).Should().Equal("Bearer token-1", "Bearer token-1");
    }

    [Test]
    public void AzureWithoutEndpoint_OrWithoutKeyOrToken_IsRefusedNamingThem()
    {
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.AzureOpenAI, Model = "dep" };

        Action create = () => _ = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), options, new GeneratorServices(Environment: NoEnvironment));

        create.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("Endpoint") && f.Contains("openai.azure.com"))
            .And.Contain(f => f.Contains("ApiKey") && f.Contains("Entra ID"));
    }

    [Test]
    public void EntraId_OverPlainHttpToARemoteHost_IsRefused()
    {
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.AzureOpenAI, Endpoint = new Uri("http://my-resource.openai.azure.com/openai/v1/"), Model = "dep" };

        Action create = () => _ = new StreamingCodeGenerator(options, new FakeTokenProvider(TimeProvider.System, TimeSpan.FromHours(1)));

        create.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*https*");
    }

    [Test]
    public async Task AzureEnvironmentVariables_SupplyEndpointAndKey()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_OPENAI_ENDPOINT"] = new Uri(server.Endpoint, "/openai/v1/").ToString(),
            ["AZURE_OPENAI_API_KEY"] = AzureKey,
            ["OPENAI_API_KEY"] = "sk-not-this-one",
        };
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.AzureOpenAI, Model = "dep" };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), options, new GeneratorServices(Environment: name => environment.GetValueOrDefault(name)));

        await CollectAsync(generator.GenerateAsync("x"));

        server.Requests.Single().Headers["api-key"].Should().Be(AzureKey);
    }

    /// <summary>Hands out numbered tokens; each lives for <c>lifetime</c> from the moment it is issued, on <c>time</c>.</summary>
    private sealed class FakeTokenProvider(TimeProvider time, TimeSpan lifetime) : AuthenticationTokenProvider
    {
        private int _issued;

        public List<string> Scopes { get; } = [];

        public override GetTokenOptions? CreateTokenOptions(IReadOnlyDictionary<string, object> properties) => new(properties);

        public override AuthenticationToken GetToken(GetTokenOptions options, CancellationToken cancellationToken) => Issue(options);

        public override ValueTask<AuthenticationToken> GetTokenAsync(GetTokenOptions options, CancellationToken cancellationToken) => new(Issue(options));

        private AuthenticationToken Issue(GetTokenOptions options)
        {
            lock (Scopes)
            {
                if (options.Properties.TryGetValue(GetTokenOptions.ScopesPropertyName, out object? scopes) && scopes is IEnumerable<string> list)
                {
                    Scopes.AddRange(list);
                }

                int number = ++_issued;
                return new AuthenticationToken($"token-{number}", "Bearer", time.GetUtcNow() + lifetime);
            }
        }
    }
}
