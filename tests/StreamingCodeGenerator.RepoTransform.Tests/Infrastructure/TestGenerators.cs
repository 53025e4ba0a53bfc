namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>Generators wired to a loopback server, without retries (every request is scripted).</summary>
public static class TestGenerators
{
    public const string ApiKey = "sk-test-0123456789abcdef";

    public static StreamingCodeGenerator Create(OpenAITestServer server) => new(new StreamingCodeGeneratorOptions
    {
        Endpoint = server.Endpoint,
        ApiKey = ApiKey,
        Model = "gpt-4o-mini",
        MaxRetries = 0,
    });

    public static RepositoryTransformer Transformer(OpenAITestServer server, IRunHistory? history = null, int reflect = 1, int maxPromptTokens = 32_000) =>
        new(Create(server), new RepositoryTransformerOptions { ReflectionRounds = reflect, MaxPromptTokens = maxPromptTokens, RepositoryAccess = RepositoryAccess.ForLocalUser() }, history);
}
