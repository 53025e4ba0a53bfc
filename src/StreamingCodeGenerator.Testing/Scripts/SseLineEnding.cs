namespace StreamingCodeGeneration.Testing;

/// <summary>The line ending that ends each line of a server-sent event (the SSE specification allows all three).</summary>
public enum SseLineEnding
{
    /// <summary><c>\n</c>, what almost every server sends.</summary>
    Lf,

    /// <summary><c>\r\n</c>, what some proxies and Windows servers send.</summary>
    CrLf,

    /// <summary><c>\r</c> alone: rare, and the case parsers most often get wrong.</summary>
    Cr,
}
