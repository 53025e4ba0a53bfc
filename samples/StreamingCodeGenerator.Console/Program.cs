// A thin console host: argument parsing and display only. Everything else is the library.
using StreamingCodeGeneration;
using StreamingCodeGeneration.Samples.Console;

string prompt = "Write a bubble sort in C#";
string? model = null;
Uri? endpoint = null;
bool demo = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model" when i + 1 < args.Length:
            model = args[++i];
            break;
        case "--endpoint" when i + 1 < args.Length:
            endpoint = new Uri(args[++i]);
            break;
        case "--demo":
            demo = true;
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: scg [prompt] [--model NAME] [--endpoint URL] [--demo]");
            Console.WriteLine("  Uses OPENAI_API_KEY and OPENAI_BASE_URL; without a key and an endpoint it runs the offline demo.");
            return 0;
        default:
            prompt = args[i];
            break;
    }
}

string? apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
bool endpointFromEnvironment = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENAI_BASE_URL"));
await using DemoServer? demoServer = demo || (string.IsNullOrEmpty(apiKey) && endpoint is null && !endpointFromEnvironment) ? DemoServer.Start() : null;
if (demoServer is not null)
{
    Console.Error.WriteLine($"[offline demo: replaying a recorded answer from {demoServer.Endpoint}; set OPENAI_API_KEY for a real model]");
}

var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions
{
    Endpoint = demoServer?.Endpoint ?? endpoint,   // null: the library reads OPENAI_BASE_URL, else uses api.openai.com
    ApiKey = demoServer is null && endpoint is not null ? apiKey : null,  // null: the library reads OPENAI_API_KEY
    Model = model ?? "gpt-4o-mini",
});

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

CodeGenerationStream stream = generator.GenerateAsync(prompt, cancel.Token);
try
{
    await foreach (Chunk chunk in stream)
    {
        Console.ForegroundColor = chunk.Kind switch
        {
            ChunkKind.Code => ConsoleColor.Cyan,
            ChunkKind.Fence => ConsoleColor.DarkGray,
            _ => ConsoleColor.Gray,
        };
        Console.Write(chunk.Text);
    }

    Console.ResetColor();
    Console.WriteLine();
    Console.WriteLine($"-- {stream.Stats}");
    return 0;
}
catch (CodeGenerationException ex)
{
    Console.ResetColor();
    Console.WriteLine();
    Console.Error.WriteLine($"-- failed: {ex.GetType().Name}: {ex.Message}");
    Console.Error.WriteLine($"-- kept {ex.PartialText.Length} characters; {ex.Stats}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.ResetColor();
    Console.Error.WriteLine($"\n-- cancelled; {stream.Stats}");
    return 130;
}
