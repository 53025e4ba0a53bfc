using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration;

/// <summary>What a host hands a generator besides its options and connection; every part optional.</summary>
/// <param name="LoggerFactory">Where log lines go; <see langword="null"/> for none.</param>
/// <param name="TimeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
/// <param name="MeterFactory">Where measurements go; <see langword="null"/> for the library's own meter.</param>
/// <param name="Environment">Reads environment variables; <see langword="null"/> for the process's.</param>
/// <param name="RetryJitter">Whether backoff delays are jittered (tests turn it off to check exact delays).</param>
/// <param name="CircuitBreaker">
/// The circuit breaker shared with other generators (a dependency-injection registration's); <see langword="null"/> for
/// one of the generator's own, as its options say.
/// </param>
internal sealed record GeneratorServices(
    ILoggerFactory? LoggerFactory = null,
    TimeProvider? TimeProvider = null,
    IMeterFactory? MeterFactory = null,
    Func<string, string?>? Environment = null,
    bool RetryJitter = true,
    UpstreamCircuitBreaker? CircuitBreaker = null);
