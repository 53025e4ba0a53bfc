using System.CommandLine;
using System.Reflection;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Tests.Shared;

/// <summary>The shared options' provider choice, the "nothing configured" answer, and user secrets behind the environment.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ModelOptionsProviderTests
{
    [Test]
    public void TryCreateOptions_NothingConfigured_ReturnsFalseInsteadOfThrowing()
    {
        (ModelOptions options, ParseResult parse) = Parse();

        options.TryCreateOptions(parse, _ => null, out StreamingCodeGeneratorOptions? created).Should().BeFalse();
        created.Should().BeNull();
    }

    [Test]
    public void CreateOptions_Azure_ReadsTheAzureVariablesAndNotOpenAIs()
    {
        (ModelOptions options, ParseResult parse) = Parse("--provider", "azure", "--model", "my-deployment");

        StreamingCodeGeneratorOptions created = options.CreateOptions(parse, Environment(
            ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/openai/v1/"), ("AZURE_OPENAI_API_KEY", "az-key"), ("OPENAI_API_KEY", "sk-openai")));

        created.Provider.Should().Be(ModelProvider.AzureOpenAI);
        created.Endpoint.Should().Be(new Uri("https://res.openai.azure.com/openai/v1/"));
        created.ApiKey.Should().Be("az-key");
        created.Model.Should().Be("my-deployment");
        options.GetApiKeyVariable(parse).Should().Be("AZURE_OPENAI_API_KEY");
    }

    [Test]
    public void CreateOptions_AzureKeyWithoutEndpoint_SaysToSetTheEndpoint()
    {
        (ModelOptions options, ParseResult parse) = Parse("--provider", "azure");

        Action create = () => options.CreateOptions(parse, Environment(("AZURE_OPENAI_API_KEY", "az-key")));

        create.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("AZURE_OPENAI_ENDPOINT");
    }

    [Test]
    public void CreateOptions_AzureNothingConfigured_NamesBothAzureVariables()
    {
        (ModelOptions options, ParseResult parse) = Parse("--provider", "azure");

        Action create = () => options.CreateOptions(parse, Environment());

        create.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("AZURE_OPENAI_ENDPOINT").And.Contain("AZURE_OPENAI_API_KEY");
    }

    [Test]
    public void WithUserSecrets_NoSecretsFile_FallsBackToNothingAndTheEnvironmentWins()
    {
        // This assembly has no UserSecretsId: the reader is the environment alone.
        Func<string, string?> read = ModelOptions.WithUserSecrets(Assembly.GetExecutingAssembly(), Environment(("OPENAI_API_KEY", "sk-env")));

        read("OPENAI_API_KEY").Should().Be("sk-env");
        read("OPENAI_BASE_URL").Should().BeNull();
    }

    private static (ModelOptions Options, ParseResult Parse) Parse(params string[] args)
    {
        var options = new ModelOptions();
        var root = new RootCommand();
        options.AddTo(root);
        return (options, root.Parse(args));
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
