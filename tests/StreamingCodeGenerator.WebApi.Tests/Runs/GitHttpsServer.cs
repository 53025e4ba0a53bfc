using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// A git server speaking git's smart HTTP protocol over TLS on 127.0.0.1 (port 0): <c>GET …/info/refs</c> and
/// <c>POST …/git-upload-pack</c> are answered by the real <c>git upload-pack --stateless-rpc</c> over one repository
/// folder. It can demand Basic credentials, or answer every request with a redirect; it records what it was asked.
/// </summary>
public sealed class GitHttpsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private GitHttpsServer(WebApplication app) => _app = app;

    /// <summary>The server's root, <c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    /// <summary>Every request as "METHOD path?query", in arrival order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Starts a server over <paramref name="repository"/> (a work tree or a bare repository).</summary>
    /// <param name="credentials">When set, every request needs <c>Authorization: Basic</c> with this user name and password.</param>
    /// <param name="redirectTo">When set, every request is answered 302 to the same path under this root.</param>
    /// <param name="onRequest">Runs for each request before it is answered.</param>
    public static Task<GitHttpsServer> StartAsync(
        TestCertificateAuthority authority,
        string repository,
        (string User, string Password)? credentials = null,
        Uri? redirectTo = null,
        Action<HttpContext>? onRequest = null)
    {
        // A clean execution context: WebApplicationFactory recognises "its" host through an async-local.
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartCoreAsync(authority, repository, credentials, redirectTo, onRequest));
        }
    }

    private static async Task<GitHttpsServer> StartCoreAsync(
        TestCertificateAuthority authority, string repository, (string User, string Password)? credentials, Uri? redirectTo, Action<HttpContext>? onRequest)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(authority.ServerCertificate));
        });
        WebApplication app = builder.Build();
        var server = new GitHttpsServer(app);
        app.Run(context => server.HandleAsync(context, repository, credentials, redirectTo, onRequest));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        return server;
    }

    private async Task HandleAsync(HttpContext context, string repository, (string User, string Password)? credentials, Uri? redirectTo, Action<HttpContext>? onRequest)
    {
        HttpRequest request = context.Request;
        _requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        onRequest?.Invoke(context);
        if (redirectTo is not null)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = new Uri(redirectTo, request.Path.Value!.TrimStart('/') + request.QueryString).AbsoluteUri;
            return;
        }

        if (credentials is { } expected)
        {
            string wanted = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(expected.User + ":" + expected.Password));
            if (request.Headers.Authorization.ToString() != wanted)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
                return;
            }
        }

        string path = request.Path.Value ?? string.Empty;
        if (request.Method == "GET" && path.EndsWith("/info/refs", StringComparison.Ordinal) && request.Query["service"] == "git-upload-pack")
        {
            context.Response.ContentType = "application/x-git-upload-pack-advertisement";
            context.Response.Headers.CacheControl = "no-cache";
            if (!request.Headers.ContainsKey("Git-Protocol"))
            {
                // Protocol v0 starts with the service line; v2 (asked for with Git-Protocol) does not.
                await context.Response.Body.WriteAsync("001e# service=git-upload-pack\n0000"u8.ToArray());
            }

            await UploadPackAsync(context, repository, ["--advertise-refs"], Stream.Null);
            return;
        }

        if (request.Method == "POST" && path.EndsWith("/git-upload-pack", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/x-git-upload-pack-result";
            context.Response.Headers.CacheControl = "no-cache";
            Stream body = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            await UploadPackAsync(context, repository, [], body);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static async Task UploadPackAsync(HttpContext context, string repository, string[] arguments, Stream input)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("upload-pack");
        start.ArgumentList.Add("--stateless-rpc");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(repository);
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        if (context.Request.Headers.TryGetValue("Git-Protocol", out var protocol))
        {
            start.Environment["GIT_PROTOCOL"] = protocol.ToString();
        }

        using Process process = Process.Start(start)!;
        Task error = process.StandardError.ReadToEndAsync();
        Task copyIn = Task.Run(async () =>
        {
            await input.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        });
        await process.StandardOutput.BaseStream.CopyToAsync(context.Response.Body);
        await copyIn;
        await error;
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
