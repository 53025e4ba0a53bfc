namespace StreamingCodeGeneration.ApiClient;

/// <summary>The earlier Python client's three tests of <c>POST /generate-code</c>.</summary>
public enum ClientTest
{
    /// <summary>Send the prompt and print the streamed answer.</summary>
    Normal = 1,

    /// <summary>The same, with a client timeout per read (the earlier Python client's httpx timeout).</summary>
    Timeout = 2,

    /// <summary>Send <c>{"invalid_key": …}</c> and print the service's error.</summary>
    Invalid = 3,
}
