namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>Which other web origins may call the API from a browser (<c>WebApi:Cors</c>).</summary>
public sealed class CorsSettings
{
    /// <summary>Gets the allowed origins, for example <c>https://app.example.com</c>; <c>*</c> allows any.</summary>
    /// <value>The default is empty: no cross-origin calls (the page at <c>/</c> is same-origin and needs none).</value>
    public IList<string> AllowedOrigins { get; } = [];
}
