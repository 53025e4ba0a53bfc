namespace StreamingCodeGeneration.ApiClient;

/// <summary>scg-api-client: the seed's api_client.py in C#. Parsing and display only; see <see cref="ApiClientApp"/>.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => ApiClientApp.RunAsync(args, Console.In, Console.Out, Console.Error);
}
