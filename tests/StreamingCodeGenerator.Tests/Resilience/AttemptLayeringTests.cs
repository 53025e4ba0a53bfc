using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>
/// Attempts never multiply across layers: a generator registered with dependency injection (the OpenAI SDK's pipeline,
/// the HTTP client from <c>IHttpClientFactory</c>, the shared circuit breaker, the stream-aware retry) sends exactly
/// 1 + <c>MaxRetries</c> requests for a failure it retries and one for a failure it does not, counted by the upstream (or,
/// for a refused connection, by the connection attempts the HTTP handler makes). Adding Microsoft.Extensions.Http.Resilience's
/// standard handler to the generator's HTTP client is measured too: it multiplies a 503 and cannot see a stream that fails
/// after its headers, which is why the library keeps its own retry.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AttemptLayeringTests
{
    private const int MaxRetries = 3;

    public enum FailureClass
    {
        ServiceUnavailable,
        RateLimitedWithRetryAfter,
        ConnectionRefused,
        CutBeforeFirstContent,
        CutAfterFirstContent,
        CutAfterFirstContentContinued,
    }

    [TestCase(FailureClass.ServiceUnavailable, 1 + MaxRetries)]
    [TestCase(FailureClass.RateLimitedWithRetryAfter, 1 + MaxRetries)]
    [TestCase(FailureClass.ConnectionRefused, 1 + MaxRetries)]
    [TestCase(FailureClass.CutBeforeFirstContent, 1 + MaxRetries)]
    [TestCase(FailureClass.CutAfterFirstContent, 1)]
    [TestCase(FailureClass.CutAfterFirstContentContinued, 1 + MaxRetries)]
    public async Task RegisteredGenerator_EachFailureClass_SendsExactlyItsRetryBudget(FailureClass failure, int expectedRequests)
    {
        (int requests, Exception? error) = await CountRequestsAsync(failure, standardHandler: false);

        requests.Should().Be(expectedRequests);
        error.Should().BeAssignableTo<CodeGenerationException>().Which.Should().NotBeOfType<CircuitOpenException>();
        ((CodeGenerationException)error!).Stats.Attempts.Should().Be(expectedRequests);
    }

    [TestCase(FailureClass.ServiceUnavailable, (1 + MaxRetries) * (1 + MaxRetries))]
    [TestCase(FailureClass.CutBeforeFirstContent, 1 + MaxRetries)]
    public async Task StandardResilienceHandlerAdded_MultipliesWholeResponseRetries_AndNeverSeesTheStream(FailureClass failure, int expectedRequests)
    {
        (int requests, Exception? error) = await CountRequestsAsync(failure, standardHandler: true);

        // 503: its 3 retries inside each of our 4 attempts. A stream cut after the 200's headers: only ours retry it.
        requests.Should().Be(expectedRequests);
        ((CodeGenerationException)error!).Stats.Attempts.Should().Be(1 + MaxRetries);
    }

    private static async Task<(int Requests, Exception? Error)> CountRequestsAsync(FailureClass failure, bool standardHandler)
    {
        CodeGenerationStream? stream = null;
        await using OpenAITestServer server = await OpenAITestServer.StartAsync((context, index) => Script(failure, index, () => stream!.Stats)(context));
        int connections = 0;
        var services = new ServiceCollection();
        StreamingCodeGeneratorBuilder registration = services.AddStreamingCodeGenerator(options =>
        {
            options.Endpoint = failure == FailureClass.ConnectionRefused ? ClosedPortEndpoint() : server.Endpoint;
            options.ApiKey = TestGenerators.ApiKey;
            options.MaxRetries = MaxRetries;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            options.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
            options.MidStreamRecovery = failure == FailureClass.CutAfterFirstContentContinued ? MidStreamRecovery.Continue : MidStreamRecovery.None;
        });
        registration.HttpClient.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
        if (standardHandler)
        {
            registration.HttpClient.AddStandardResilienceHandler(o => o.Retry.Delay = TimeSpan.Zero);
        }

        await using ServiceProvider provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<StreamingCodeGenerator>();

        stream = generator.GenerateAsync("x");
        (Exception? error, _) = await TestGenerators.CollectFailureAsync(stream).Soon();

        return (failure == FailureClass.ConnectionRefused ? connections : server.RequestCount, error);
    }

    /// <summary>
    /// Request <paramref name="index"/>'s answer. A cut waits until the client has read every event sent so far (a TCP
    /// reset can discard unread bytes, which would turn a cut stream into a lost connection).
    /// </summary>
    private static Func<HttpContext, Task> Script(FailureClass failure, int index, Func<StreamStats> stats) => failure switch
    {
        FailureClass.ServiceUnavailable => Respond.ServerError(503),
        FailureClass.RateLimitedWithRetryAfter => Respond.RateLimited(retryAfter: "1"),
        FailureClass.CutBeforeFirstContent => new StreamingCodeGeneration.Testing.SseScript().Role()
            .CutWhen(() => stats().ServerEventCount >= index + 1).Build(),
        _ => new StreamingCodeGeneration.Testing.SseScript().Role().Content("Hello ")
            .CutWhen(() => stats().ServerEventCount >= 2 * (index + 1)).Build(),
    };

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
