using System.Net.Http.Headers;
using System.Text;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>Request bodies as the tests send them: exact JSON text, so malformed and wrongly typed bodies can be sent too.</summary>
public static class Json
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static HttpRequestMessage Post(string path, string json) => new(HttpMethod.Post, path) { Content = Body(json) };

    public static HttpRequestMessage PostWithoutBody(string path) => new(HttpMethod.Post, path);

    public static HttpRequestMessage PostAs(string path, string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>Quotes a string as a JSON string literal.</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
