using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Diagnostics;
using StreamingCodeGeneration.WebApi.Endpoints;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.OpenAI;
using StreamingCodeGeneration.WebApi.Page;
using StreamingCodeGeneration.WebApi.Runs;
using StreamingCodeGeneration.WebApi.Security;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>Everything the service registers and maps, so <c>Program.cs</c> stays a few lines.</summary>
internal static class CodeGenerationService
{
    private const string RateLimitPolicy = "per-client";

    public static WebApplicationBuilder AddCodeGenerationService(this WebApplicationBuilder builder)
    {
        IServiceCollection services = builder.Services;
        IConfiguration configuration = builder.Configuration;

        services.AddOptions<WebApiOptions>().Bind(configuration.GetSection(WebApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebApiOptions>, WebApiOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        // The model: configured the usual way, or the offline demo when nothing is configured.
        services.AddSingleton<Upstream>();
        services.AddStreamingCodeGenerator(configuration.GetSection("StreamingCodeGenerator"));
        services.AddOptions<StreamingCodeGeneratorOptions>().PostConfigure<Upstream>((generator, upstream) =>
        {
            if (!upstream.IsConfigured)
            {
                generator.Endpoint = upstream.DemoEndpoint;
                generator.ApiKey = null;
            }
        });
        services.AddHostedService<UpstreamAnnouncement>();
        services.AddSingleton<StreamShutdown>();
        services.AddSingleton<GenerationStarter>();
        services.AddSingleton<PageContent>();
        services.AddSingleton<ModelCatalog>();

        // Running streams get the grace period, and 5 more seconds to send their in-band ending.
        services.AddOptions<HostOptions>().Configure<IOptions<WebApiOptions>>((host, web) =>
            host.ShutdownTimeout = web.Value.ShutdownGracePeriod + TimeSpan.FromSeconds(5));

        // The repository transform and its history (a SQLite file of its own, not scg-transform's, or PostgreSQL for several instances).
        services.AddSingleton(provider => RunHistory.Open(provider.GetRequiredService<IOptions<WebApiOptions>>().Value.Runs.History, RunSettings.DefaultHistoryFileName));
        // Repository access and limits come from WebApi:Runs; a failure is stored in the words the caller is answered in.
        services.AddSingleton(provider => new RepositoryTransformer(
            provider.GetRequiredService<StreamingCodeGenerator>(),
            provider.GetRequiredService<IOptions<WebApiOptions>>().Value.Runs.ToTransformerOptions(
                provider.GetRequiredService<TimeProvider>(), failure => RunErrors.Map(failure, GenerationCancellation.None).Message),
            provider.GetRequiredService<IRunHistory>()));
        services.AddSingleton<RunSlots>();

        // snake_case everywhere, as OpenAI's wire format: the source-generated context writes it, and the OpenAPI
        // document (which reads these options) describes it.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Encoder = WebApiJsonContext.Encoder;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, WebApiJsonContext.Default);
        });
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck("live", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy("The service is running."))
            .AddCheck<UpstreamHealthCheck>("upstream");

        services.AddSingleton<ApiKeyStore>();
        // Limits shared by several instances when WebApi:Redis:ConnectionString is set (connected at start).
        services.AddSingleton<RedisCounters>();
        services.AddHostedService(provider => provider.GetRequiredService<RedisCounters>());
        services.AddSingleton<FailedAuthenticationLimiter>();
        // AddAuthenticationCore, not AddAuthentication: that also registers ASP.NET Core Data Protection (a key ring kept on
        // disk, which several instances would have to share) for cookies and tickets this service never issues.
        services.AddWebEncoders();
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = ApiKeyAuthenticationHandler.SchemeName);
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddCors();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                RateLimitSettings settings = context.RequestServices.GetRequiredService<IOptions<WebApiOptions>>().Value.RateLimit;
                RedisCounters shared = context.RequestServices.GetRequiredService<RedisCounters>();
                if (shared.IsEnabled)
                {
                    TimeProvider time = context.RequestServices.GetRequiredService<TimeProvider>();
                    return RateLimitPartition.Get(ClientPartition.For(context), client => new RedisFixedWindowRateLimiter(shared, "rate:" + client, settings.PermitLimit, settings.Window, time));
                }

                return RateLimitPartition.GetFixedWindowLimiter(ClientPartition.For(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (rejected, _) =>
            {
                TimeSpan? retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : null;
                return new ValueTask(ErrorResults.WriteAsync(rejected.HttpContext, new ServiceError(
                    StatusCodes.Status429TooManyRequests,
                    "rate_limit_exceeded",
                    "Too many requests from this client. Retry after the time in Retry-After.",
                    RetryAfter: retryAfter ?? TimeSpan.FromSeconds(1))));
            };
        });

        services.AddServiceTelemetry(configuration);
        return builder;
    }

    public static WebApplication MapCodeGenerationService(this WebApplication app)
    {
        WebApiOptions options = app.Services.GetRequiredService<IOptions<WebApiOptions>>().Value;
        app.UseOpenAIErrorsForUnknownRoutes();
        if (options.Cors.AllowedOrigins.Count > 0)
        {
            app.UseCors(cors =>
            {
                if (options.Cors.AllowedOrigins.Contains("*"))
                {
                    cors.AllowAnyOrigin();
                }
                else
                {
                    cors.WithOrigins([.. options.Cors.AllowedOrigins]);
                }

                cors.WithMethods("GET", "POST").WithHeaders("Content-Type", "Authorization", "api-key").WithExposedHeaders("Retry-After");
            });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapRootEndpoints();
        bool keys = app.Services.GetRequiredService<ApiKeyStore>().IsEnabled;

        // The model list costs nothing to answer: it needs a key like the rest of the API, but is not rate limited.
        RouteGroupBuilder catalog = app.MapGroup(string.Empty);
        RouteGroupBuilder api = app.MapGroup(string.Empty);
        if (keys)
        {
            catalog.RequireAuthorization();
            api.RequireAuthorization();
        }

        catalog.MapModelsEndpoints();

        if (options.RateLimit.Enabled)
        {
            api.RequireRateLimiting(RateLimitPolicy);
        }

        api.MapCodeGenerationEndpoints();
        api.MapChatCompletionsEndpoints();
        api.MapResponsesEndpoints();
        api.MapRunEndpoints();

        if (options.ApiDocs)
        {
            app.MapOpenApi();
            app.UseSwaggerUI(ui =>
            {
                ui.RoutePrefix = "docs";
                ui.SwaggerEndpoint("/openapi/v1.json", "StreamingCodeGenerator.WebApi v1");
                ui.DocumentTitle = "Streaming Code Generator API";
            });
        }

        return app;
    }

    /// <summary>Says at start-up which model answers: a configured one, or the offline demo.</summary>
    private sealed class UpstreamAnnouncement(Upstream upstream, StreamingCodeGenerator generator, ILogger<Upstream> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            StreamingCodeGeneratorOptions options = generator.Options;
            if (upstream.DemoEndpoint is { } demo)
            {
                Log.OfflineDemo(logger, demo);
            }
            else
            {
                Log.ModelConfigured(logger, options.Model, EndpointDisplay.Describe(options.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint));
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
