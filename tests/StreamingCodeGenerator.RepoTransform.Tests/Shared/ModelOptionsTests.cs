using System.CommandLine;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class ModelOptionsTests
{
    [Test]
    public void CreateOptions_CommandLine_SetsEveryOption()
    {
        (ModelOptions options, ParseResult parse) = Parse("--model", "gpt-4.1", "--endpoint", "http://localhost:11434/v1", "--timeout", "90", "--max-tokens", "4000", "--temperature", "0.2");

        StreamingCodeGeneratorOptions created = options.CreateOptions(parse, Environment(("OPENAI_API_KEY", "sk-x")));

        created.Model.Should().Be("gpt-4.1");
        created.Endpoint.Should().Be(new Uri("http://localhost:11434/v1"));
        created.TotalTimeout.Should().Be(TimeSpan.FromSeconds(90));
        created.MaxOutputTokens.Should().Be(4000);
        created.Temperature.Should().Be(0.2f);
        created.ApiKey.Should().Be("sk-x");
    }

    [Test]
    public void CreateOptions_NothingGiven_UsesTheEnvironmentAndDefaults()
    {
        (ModelOptions options, ParseResult parse) = Parse();

        StreamingCodeGeneratorOptions created = options.CreateOptions(parse, Environment(("OPENAI_BASE_URL", "https://proxy.example/v1")));

        created.Endpoint.Should().Be(new Uri("https://proxy.example/v1"));
        created.ApiKey.Should().BeNull();
        created.Model.Should().Be(ModelOptions.DefaultModel);
        created.TotalTimeout.Should().Be(new StreamingCodeGeneratorOptions().TotalTimeout);
    }

    [Test]
    public void CreateOptions_EndpointOption_WinsOverTheEnvironment()
    {
        (ModelOptions options, ParseResult parse) = Parse("--endpoint", "http://127.0.0.1:8080/v1");

        options.CreateOptions(parse, Environment(("OPENAI_BASE_URL", "https://other/v1"))).Endpoint.Should().Be(new Uri("http://127.0.0.1:8080/v1"));
    }

    [Test]
    public void CreateOptions_NoKeyAndNoEndpoint_SaysWhatToSet()
    {
        (ModelOptions options, ParseResult parse) = Parse();

        Action create = () => options.CreateOptions(parse, Environment());

        create.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("OPENAI_API_KEY").And.Contain("OPENAI_BASE_URL");
    }

    [Test]
    public void CreateOptions_BadBaseUrl_IsAConfigurationError()
    {
        (ModelOptions options, ParseResult parse) = Parse();

        Action create = () => options.CreateOptions(parse, Environment(("OPENAI_BASE_URL", "localhost:11434")));

        create.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("OPENAI_BASE_URL");
    }

    [TestCase("--timeout", "0")]
    [TestCase("--max-tokens", "-5")]
    [TestCase("--temperature", "2.5")]
    [TestCase("--endpoint", "ftp://x")]
    [TestCase("--api-key", "sk-never-on-the-command-line")]
    public void Parse_InvalidValue_IsAParseError(string option, string value)
    {
        (_, ParseResult parse) = Parse(option, value);

        parse.Errors.Should().NotBeEmpty();
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
