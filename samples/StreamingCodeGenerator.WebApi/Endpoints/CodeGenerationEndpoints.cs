using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary><c>POST /generate-code</c>: the earlier Python service's endpoint, a plain-text stream of code and explanation.</summary>
internal static class CodeGenerationEndpoints
{
    /// <summary>How a plain stream that failed after it started ends: a last line starting with this.</summary>
    public const string ErrorLinePrefix = "[error] ";

    public static RouteHandlerBuilder MapCodeGenerationEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/generate-code", GenerateCodeAsync)
            .WithName("GenerateCode")
            .WithTags("Generation")
            .WithSummary("Stream code and its explanation as plain text")
            .WithDescription(
                "Streams the model's answer as text/plain; charset=utf-8, flushed chunk by chunk. The status is sent once the " +
                "model's first chunk has arrived, so upstream failures before it get their own status (429 with Retry-After, 502, " +
                "504, 400). A failure after the stream started ends it with a last line starting with \"" + ErrorLinePrefix.Trim() +
                "\", for example \"[error] upstream_timeout: The model stopped sending for 30 s.\"")
            .DocumentJsonBody<GenerateCodeRequest>("The prompt, and optionally the language.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GenerateCodeAsync(
        HttpContext context, GenerationStarter starter, IOptions<WebApiOptions> options)
    {
        WebApiOptions settings = options.Value;
        (JsonDocument? body, ServiceError? bodyError) = await JsonBody.ReadAsync(context.Request, settings.MaxRequestBodyBytes, GenerateCodeRequest.Example);
        if (bodyError is not null)
        {
            return ErrorResults.Problem(context, bodyError);
        }

        CodeGenerationRequest? request;
        ServiceError? error;
        using (body)
        {
            (request, error) = GenerateCodeRequest.Parse(body!.RootElement, settings.MaxPromptCharacters);
        }

        if (error is not null)
        {
            return ErrorResults.Problem(context, error);
        }

        GenerationStart start = await starter.StartAsync(request!, context.RequestAborted);
        if (start.Error is not null)
        {
            return ErrorResults.Problem(context, start.Error);
        }

        StreamingHeaders.Apply(context.Response);
        RunningGeneration running = start.Generation!;
        return TypedResults.Stream(stream => WriteAsync(running, stream, context.RequestAborted), "text/plain; charset=utf-8");
    }

    private static async Task WriteAsync(RunningGeneration running, Stream body, CancellationToken aborted)
    {
        await using (running)
        {
            char last = '\n';
            ServiceError? failure = null;
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await running.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (Exception exception)
                    {
                        if (running.Cancellation == GenerationCancellation.Client)
                        {
                            return;
                        }

                        failure = running.Describe(exception);
                        break;
                    }

                    string text = running.Current.Text;
                    await body.WriteAsync(Encoding.UTF8.GetBytes(text), aborted);
                    await body.FlushAsync(aborted);
                    last = text[^1];
                }

                if (failure is not null)
                {
                    string line = (last == '\n' ? "\n" : "\n\n") + ErrorLinePrefix + failure.Code + ": " + failure.Message + "\n";
                    await body.WriteAsync(Encoding.UTF8.GetBytes(line), aborted);
                    await body.FlushAsync(aborted);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException && aborted.IsCancellationRequested)
            {
                // The client went away while we wrote; disposing the generation closes the upstream connection.
            }
        }
    }
}
