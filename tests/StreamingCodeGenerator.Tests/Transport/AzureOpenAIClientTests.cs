using System.ClientModel;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Transport;

/// <summary>
/// Azure's own client (Azure.AI.OpenAI's <see cref="AzureOpenAIClient"/>) handed to the generator as an OpenAI
/// <see cref="ChatClient"/>: what reaches the server (deployment URL, api-version, credential header) and what comes back.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AzureOpenAIClientTests
{
    private const string AzureKey = "0123456789abcdef0123456789abcdef";
    private const string Deployment = "my-gpt-4o";

    [Test]
    public async Task ApiKeyCredential_SendsToTheDeploymentWithApiVersionAndKeyHeader_AndStreamsExactText()
    {
        await using var server = await OpenAITestServer.StartAsync(AzureAnswer("Here:\n```cs\n", "int x = 1; // ü😀\n", "```\n"));
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        var generator = new StreamingCodeGenerator(azure.GetChatClient(Deployment), new StreamingCodeGeneratorOptions { Model = Deployment });

        CodeGenerationStream stream = generator.GenerateAsync("x");
        (string text, List<Chunk> chunks) = await CollectAsync(stream);

        text.Should().Be("Here:\n```cs\nint x = 1; // ü😀\n```\n");
        chunks.Where(c => c.Kind == ChunkKind.Code).Select(c => c.Text).Should().Equal("int x = 1; // ü😀\n");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be($"/openai/deployments/{Deployment}/chat/completions");
        request.QueryString.Should().Be("?api-version=" + ExpectedApiVersion);
        request.Headers["api-key"].Should().Be(AzureKey);
        request.Headers.Should().NotContainKey("Authorization");
        request.Stream.Should().BeTrue();
        stream.Stats.FinishReason.Should().Be(FinishReason.Stop);
        stream.Stats.Usage!.InputTokenCount.Should().Be(21);
        stream.Stats.Usage.OutputTokenCount.Should().Be(3);
        stream.Stats.ResponseId.Should().Be(SseEvents.Id, "Azure's first chunk has an empty id, which is not an id");
        stream.Stats.ContentFiltered.Should().BeFalse("every filter verdict was safe");
    }

    [Test]
    public async Task TokenCredential_SendsItsBearerTokenForTheCognitiveServicesScope_AndNoKey()
    {
        await using var server = await OpenAITestServer.StartAsync(AzureAnswer("ok"));
        var credential = new FixedTokenCredential("entra-token-42");
        var azure = new AzureOpenAIClient(server.BaseAddress, credential);
        var generator = new StreamingCodeGenerator(azure.GetChatClient(Deployment), new StreamingCodeGeneratorOptions { Model = Deployment });

        (string text, _) = await CollectAsync(generator.GenerateAsync("x"));

        text.Should().Be("ok");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be($"/openai/deployments/{Deployment}/chat/completions");
        request.Authorization.Should().Be("Bearer entra-token-42");
        request.Headers.Should().NotContainKey("api-key");
        credential.Scopes.Should().NotBeEmpty().And.OnlyContain(scope => scope == "https://cognitiveservices.azure.com/.default");
    }

    [Test]
    public async Task ContentFilter_OnTheAnswer_EndsTruncatedAndFlagged_WithTheTextBeforeIt()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().AzurePromptFilterResults().Role().AzureContent("Partial ").AzureContent("answer", filtered: true).Finish("content_filter").Done().Build());
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        CodeGenerationStream stream = new StreamingCodeGenerator(azure.GetChatClient(Deployment), new StreamingCodeGeneratorOptions { Model = Deployment }).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("Partial answer");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        stream.Stats.FinishReason.Should().Be(FinishReason.ContentFilter);
        stream.Stats.ContentFiltered.Should().BeTrue();
        stream.Stats.IsTruncated.Should().BeTrue();
    }

    [Test]
    public async Task ContentFilter_OnThePrompt_IsFlagged()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().AzurePromptFilterResults(filtered: true).Role().AzureContent("ok").Finish().Done().Build());
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        CodeGenerationStream stream = new StreamingCodeGenerator(azure.GetChatClient(Deployment), new StreamingCodeGeneratorOptions { Model = Deployment }).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("ok");
        stream.Stats.ContentFiltered.Should().BeTrue();
        stream.Stats.FinishReason.Should().Be(FinishReason.Stop);
    }

    [Test]
    public async Task RateLimited_TheAzureClientsOwnRetriesAreOff_SoEachAttemptIsOneRequest()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfterMs: "1"), Respond.RateLimited(retryAfterMs: "1"));
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        var options = new StreamingCodeGeneratorOptions { Model = Deployment, MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1) };
        CodeGenerationStream stream = new StreamingCodeGenerator(azure.GetChatClient(Deployment), options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<RateLimitException>();
        stream.Stats.Attempts.Should().Be(2);
        server.RequestCount.Should().Be(2, "one request per attempt: Azure's pipeline would otherwise retry each 429 itself");
    }

    [Test]
    public async Task WrongKey_IsAuthenticationFailed_AfterOneRequest()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Unauthorized());
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        var options = new StreamingCodeGeneratorOptions { Model = Deployment, MaxRetries = 3 };
        CodeGenerationStream stream = new StreamingCodeGenerator(azure.GetChatClient(Deployment), options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<AuthenticationFailedException>().Which.StatusCode.Should().Be(401);
        server.RequestCount.Should().Be(1, "a rejected credential is retried by neither layer");
    }

    [Test]
    public async Task DependencyInjection_UseChatClient_TakesTheHostsAzureClient_WithoutEndpointOrKeyOptions()
    {
        await using var server = await OpenAITestServer.StartAsync(AzureAnswer("from ", "DI"));
        var services = new ServiceCollection();
        services.AddSingleton(new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey)));
        services.AddStreamingCodeGenerator(o => o.Model = Deployment)
            .UseChatClient(s => s.GetRequiredService<AzureOpenAIClient>().GetChatClient(Deployment));
        await using ServiceProvider provider = services.BuildServiceProvider();

        CodeGenerationStream stream = provider.GetRequiredService<StreamingCodeGenerator>().GenerateAsync("x");
        (string text, _) = await CollectAsync(stream);

        text.Should().Be("from DI");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be($"/openai/deployments/{Deployment}/chat/completions");
        request.Headers["api-key"].Should().Be(AzureKey);
        stream.Stats.Usage!.OutputTokenCount.Should().Be(2);
    }

    [Test]
    public async Task DependencyInjection_UseChatClient_TheAzureClientsRetriesAreOff_AsWithTheConstructor()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfterMs: "1"));
        var services = new ServiceCollection();
        services.AddSingleton(new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey)));
        services.AddStreamingCodeGenerator(o =>
            {
                o.Model = Deployment;
                o.MaxRetries = 1;
                o.RetryBaseDelay = o.RetryMaxDelay = TimeSpan.FromMilliseconds(1);
            })
            .UseChatClient(s => s.GetRequiredService<AzureOpenAIClient>().GetChatClient(Deployment));
        await using ServiceProvider provider = services.BuildServiceProvider();

        CodeGenerationStream stream = provider.GetRequiredService<StreamingCodeGenerator>().GenerateAsync("x");
        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<RateLimitException>();
        server.RequestCount.Should().Be(2);
    }

    [Test]
    public async Task AzureChatClientsOwnStreaming_BesideOpenAI215_ThrowsMissingMethodIn21_AndStreamsInThe29Preview()
    {
        // Records why the generator is the way to stream with the stable client: Azure.AI.OpenAI 2.1.0's ChatClient
        // overrides the convenience methods with code compiled against an older OpenAI, which OpenAI 2.15 no longer
        // matches; 2.9.0-beta.1 is compiled against a newer one. If a change here fails this test, update README's
        // Azure section (the tested pairs).
        await using var server = await OpenAITestServer.StartAsync(AzureAnswer("ok"));
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        ChatClient chat = azure.GetChatClient(Deployment);
        var text = new System.Text.StringBuilder();

        Func<Task> stream = async () =>
        {
            await foreach (StreamingChatCompletionUpdate update in chat.CompleteChatStreamingAsync([new UserChatMessage("x")]))
            {
                foreach (ChatMessageContentPart part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }
        };

        if (AzureClientVersion < new Version(2, 9))
        {
            (await stream.Should().ThrowAsync<MissingMethodException>()).Which.Message.Should().Contain("SerializedAdditionalRawData");
            server.RequestCount.Should().Be(0);
        }
        else
        {
            await stream.Should().NotThrowAsync();
            text.ToString().Should().Be("ok");
        }
    }

    [Test]
    public async Task AzureChatClientAsIChatClient_StreamsButStacksAzuresRetriesUnderOurs_AndLosesTheFilterVerdicts()
    {
        // Microsoft.Extensions.AI.OpenAI's adapter works beside OpenAI 2.15, but through the IChatClient abstraction the
        // generator cannot switch the Azure pipeline's own retries off (1 + 3 per attempt), and the abstraction carries
        // no content-filter verdicts. This is why UseChatClient also takes the ChatClient itself.
        await using var server = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfterMs: "1"));
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(AzureKey));
        var options = new StreamingCodeGeneratorOptions { Model = Deployment, MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1) };
        CodeGenerationStream stream = new StreamingCodeGenerator(azure.GetChatClient(Deployment).AsIChatClient(), options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<RateLimitException>();
        stream.Stats.Attempts.Should().Be(2);
        server.RequestCount.Should().Be(8, "each of our 2 attempts is 4 requests of Azure's pipeline");

        await using var filtering = await OpenAITestServer.StartAsync(
            new SseScript().AzurePromptFilterResults(filtered: true).Role().AzureContent("ok", filtered: true).Finish("content_filter").Done().Build());
        var filteringAzure = new AzureOpenAIClient(filtering.BaseAddress, new ApiKeyCredential(AzureKey));
        CodeGenerationStream filtered = new StreamingCodeGenerator(filteringAzure.GetChatClient(Deployment).AsIChatClient(), options).GenerateAsync("x");

        (string text, _) = await CollectAsync(filtered);

        text.Should().Be("ok");
        filtered.Stats.FinishReason.Should().Be(FinishReason.ContentFilter);
        filtered.Stats.ContentFiltered.Should().BeFalse("the verdicts are Azure-specific fields the abstraction does not carry");
    }

    /// <summary>The tested Azure.AI.OpenAI release (2.1.0, or 2.9.0-beta.1 with <c>-p:AzureOpenAIVersion=2.9.0-beta.1</c>).</summary>
    private static Version AzureClientVersion => typeof(AzureOpenAIClient).Assembly.GetName().Version!;

    /// <summary>The api-version each tested Azure.AI.OpenAI release sends by default.</summary>
    private static string ExpectedApiVersion => AzureClientVersion < new Version(2, 9) ? "2024-10-21" : "2025-04-01-preview";

    /// <summary>An answer as Azure streams it: the prompt-filter chunk, content chunks with their filter verdicts, finish, usage, done.</summary>
    private static Func<Microsoft.AspNetCore.Http.HttpContext, Task> AzureAnswer(params string[] contents)
    {
        SseScript script = new SseScript().AzurePromptFilterResults().Role();
        foreach (string content in contents)
        {
            script.AzureContent(content);
        }

        return script.Finish().Usage(21, contents.Length).Done().Build();
    }

    /// <summary>An Entra ID credential that hands out one known token and records the scopes it was asked for.</summary>
    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        private readonly List<string> _scopes = [];

        public IReadOnlyList<string> Scopes
        {
            get
            {
                lock (_scopes)
                {
                    return [.. _scopes];
                }
            }
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (_scopes)
            {
                _scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken(token, TimeProvider.System.GetUtcNow().AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
