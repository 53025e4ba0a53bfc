using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamingCodeGeneration;

/// <summary>
/// The one way a generator is made, for every public constructor and for dependency injection: the options copied and
/// normalized once (<see cref="StreamingCodeGeneratorOptions.Normalize"/>), checked by the one validator for the
/// connection (<see cref="StreamingCodeGeneratorOptionsValidator"/>), then the source, the logger and the telemetry.
/// </summary>
internal static class GeneratorFactory
{
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; the message names it.</exception>
    public static GeneratorCore Create(GeneratorConnection connection, StreamingCodeGeneratorOptions options, GeneratorServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        StreamingCodeGeneratorOptions copy = options.Clone();
        copy.Normalize(connection.BuildsItsOwnClient ? services.Environment ?? Environment.GetEnvironmentVariable : null);
        StreamingCodeGeneratorOptionsValidator.For(connection).ThrowIfInvalid(copy);

        TimeProvider time = services.TimeProvider ?? TimeProvider.System;
        var redactor = new SecretRedactor(copy.ApiKey);
        IChatUpdateSource source = connection.CreateSource(copy, redactor, time, out Uri endpoint);
        ILogger logger = services.LoggerFactory?.CreateLogger(StreamingCodeGenerator.TelemetryName) ?? NullLogger.Instance;
        UpstreamCircuitBreaker? breaker = services.CircuitBreaker ?? UpstreamCircuitBreaker.Create(copy.CircuitBreaker, time, services.LoggerFactory);
        return new GeneratorCore(source, copy, endpoint, logger, time, redactor, services.RetryJitter, Telemetry.For(services.MeterFactory), breaker);
    }
}
