using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class CommandLineErrorsTests
{
    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(new ConfigurationException("Set OPENAI_API_KEY."), ExitCodes.Configuration).SetName("configuration");
        yield return new TestCaseData(new OptionsValidationException("o", typeof(object), ["Model is empty"]), ExitCodes.Configuration).SetName("invalid option");
        yield return new TestCaseData(new OperationCanceledException(), ExitCodes.Cancelled).SetName("Ctrl+C");
        yield return new TestCaseData(new StreamInterruptedException(), ExitCodes.Connection).SetName("connection");
        yield return new TestCaseData(new MalformedResponseException(), ExitCodes.Connection).SetName("malformed stream");
        yield return new TestCaseData(new HttpRequestException("refused"), ExitCodes.Connection).SetName("http");
        yield return new TestCaseData(new StreamTimeoutException(), ExitCodes.Timeout).SetName("timeout");
        yield return new TestCaseData(new CircuitOpenException(), ExitCodes.Connection).SetName("circuit breaker open");
        yield return new TestCaseData(new UnsafePathException("../x", "'..' would leave the repository"), ExitCodes.Failure).SetName("other");
    }

    [TestCaseSource(nameof(Failures))]
    public void Describe_Failure_MapsToItsExitCode(Exception failure, int exitCode) =>
        CommandLineErrors.Describe(failure).ExitCode.Should().Be(exitCode);

    [Test]
    public async Task Describe_ServerAnswers_MapAuthenticationRateLimitAndServerErrors()
    {
        (await FailWithAsync(401, "bad key")).ExitCode.Should().Be(ExitCodes.Authentication);
        (await FailWithAsync(429, "slow down")).ExitCode.Should().Be(ExitCodes.RateLimit);
        (await FailWithAsync(503, "overloaded")).ExitCode.Should().Be(ExitCodes.Connection);
        (await FailWithAsync(400, "bad request")).ExitCode.Should().Be(ExitCodes.Failure);
    }

    [Test]
    public async Task Describe_CircuitOpenedByFailedAttempts_IsAConnectionFailure_SayingWhenToRetry()
    {
        await using OpenAITestServer server = await OpenAITestServer.StartAsync((context, _) => Respond.Error(500, "overloaded")(context));
        var options = new StreamingCodeGeneratorOptions { Endpoint = server.Endpoint, ApiKey = TestGenerators.ApiKey, Model = "gpt-4o-mini", MaxRetries = 0 };
        options.CircuitBreaker.MinimumThroughput = 2;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(7200);
        var generator = new StreamingCodeGenerator(options, timeProvider: new FakeTimeProvider());
        (await FailureAsync(generator)).Should().BeOfType<ApiException>();
        (await FailureAsync(generator)).Should().BeOfType<ApiException>();

        CircuitOpenException open = (await FailureAsync(generator)).Should().BeOfType<CircuitOpenException>().Subject;

        server.RequestCount.Should().Be(2);
        CommandLineError error = CommandLineErrors.Describe(open);
        error.ExitCode.Should().Be(ExitCodes.Connection);
        error.Message.Should().Be("Server unavailable: recent requests to it kept failing, so the circuit breaker sent nothing — retry after 8 s.");
    }

    [Test]
    public void Describe_CircuitOpenWithoutAWait_SaysToRetryShortly() =>
        CommandLineErrors.Describe(new CircuitOpenException()).Message.Should()
            .Be("Server unavailable: recent requests to it kept failing, so the circuit breaker sent nothing — retry in a few seconds.");

    [Test]
    public void OneLine_MultiLineMessage_IsJoined() =>
        CommandLineErrors.OneLine("first\r\n  second\n\nthird").Should().Be("first second third");

    private static async Task<CodeGenerationException> FailureAsync(StreamingCodeGenerator generator)
    {
        try
        {
            await generator.GenerateCodeWithExplanationAsync("x");
        }
        catch (CodeGenerationException ex)
        {
            return ex;
        }

        throw new AssertionException("the request should have failed");
    }

    private static async Task<CommandLineError> FailWithAsync(int status, string message)
    {
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Error(status, message));
        try
        {
            await TestGenerators.Create(server).GenerateCodeWithExplanationAsync("x");
        }
        catch (CodeGenerationException ex)
        {
            CommandLineError error = CommandLineErrors.Describe(ex);
            error.Message.Should().NotContain(TestGenerators.ApiKey).And.NotContain("\n");
            return error;
        }

        throw new AssertionException("the request should have failed");
    }
}
