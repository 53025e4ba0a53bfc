namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>A response's <c>text</c> settings: always plain text (<c>{"format": {"type": "text"}}</c>).</summary>
internal sealed record ResponseText(ResponseTextFormat Format)
{
    public static ResponseText Plain { get; } = new(new ResponseTextFormat("text"));
}
