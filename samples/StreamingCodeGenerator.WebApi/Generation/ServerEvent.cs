using System.Text.Json.Serialization.Metadata;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// The data of one server-sent event: a value with the type information that writes it as JSON, or a literal such as
/// OpenAI's <c>[DONE]</c>. Written by <see cref="EventStreamResult"/> straight into the response, by a writer that applies
/// the service's encoder: take the type information from <see cref="OpenAI.WebApiJsonContext.Events"/>.
/// </summary>
internal readonly struct ServerEvent
{
    private ServerEvent(object? value, JsonTypeInfo? typeInfo, string? literal)
    {
        Value = value;
        TypeInfo = typeInfo;
        Literal = literal;
    }

    public object? Value { get; }

    public JsonTypeInfo? TypeInfo { get; }

    public string? Literal { get; }

    public static ServerEvent Json<T>(T value, JsonTypeInfo<T> typeInfo) => new(value, typeInfo, null);

    /// <summary>Text sent as it is; it must not hold a line break.</summary>
    public static ServerEvent Text(string literal) => new(null, null, literal);
}
