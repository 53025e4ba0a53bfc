// A user's first program against the published packages: a scripted server from StreamingCodeGenerator.Testing,
// a generator from StreamingCodeGenerator, and await foreach. Exit code 0 only if the text arrives exactly.
using System.Text.Json;
using StreamingCodeGeneration;
using StreamingCodeGeneration.Testing;

const string Expected = "Here you go:\n\n```python title=\"sort.py\"\nprint(sorted([3, 1, 2]))\n```\n\nIt sorts.\n";
await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("Here you go:\n\n```python title=\"sort.py\"\n", "print(sorted([3, 1, 2]))\n```\n\nIt sorts.\n"));
var generator = new StreamingCodeGenerator(server.CreateOptions());

var text = new System.Text.StringBuilder();
CodeGenerationStream stream = generator.GenerateAsync("Sort a list in Python");
await foreach (Chunk chunk in stream)
{
    text.Append(chunk.Text);
}

string json = JsonSerializer.Serialize(stream.Result!, StreamingCodeGeneratorJsonContext.Default.CodeGenerationResult);
bool ok = text.ToString() == Expected
    && stream.Result!.CodeBlocks.Single().FileName == "sort.py"
    && stream.Stats.Status == StreamStatus.Completed
    && json.Contains("\"fileName\":\"sort.py\"", StringComparison.Ordinal);
Console.WriteLine(ok ? $"package consumer: OK ({stream.Stats.TokenCount} tokens, {server.RequestCount} request)" : $"package consumer: FAILED, got {JsonSerializer.Serialize(text.ToString())}");
return ok ? 0 : 1;
