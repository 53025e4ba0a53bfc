using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.ApiClient;

/// <summary>scg-api-client: the earlier Python service's api_client.py in C#. Parsing and display only; see <see cref="ApiClientApp"/>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The service's answer and error bodies are text to show, not terminal commands: on a terminal their control
        // characters are made visible; redirected, they are written exactly.
        TextWriter output = VisibleControlsWriter.ForTerminal(Console.Out, Console.IsOutputRedirected);
        TextWriter error = VisibleControlsWriter.ForTerminal(Console.Error, Console.IsErrorRedirected);
        try
        {
            return await ApiClientApp.RunAsync(args, Console.In, output, error);
        }
        finally
        {
            await output.FlushAsync();
            await error.FlushAsync();
            if (output is VisibleControlsWriter)
            {
                await output.DisposeAsync();
            }

            if (error is VisibleControlsWriter)
            {
                await error.DisposeAsync();
            }
        }
    }
}
