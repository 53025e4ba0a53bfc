using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary><c>--help</c>: the usual help, then examples for OpenAI, Azure OpenAI, a local Ollama server, and scripting.</summary>
internal sealed class HelpExamples : SynchronousCommandLineAction
{
    private const string Examples = """
        Examples:
          OpenAI (the key from OPENAI_API_KEY, or: dotnet user-secrets set OPENAI_API_KEY sk-… --project samples/StreamingCodeGenerator.Console):
            export OPENAI_API_KEY=sk-...
            scg "Write a bubble sort in C#" --model gpt-4o-mini

          Azure OpenAI (the deployment name as --model):
            export AZURE_OPENAI_ENDPOINT=https://my-resource.openai.azure.com/openai/v1/ AZURE_OPENAI_API_KEY=...
            scg "Write a bubble sort in C#" --provider azure --model my-gpt-4o-deployment

          A local Ollama server (no key):
            scg "Write a bubble sort in Rust" --endpoint http://localhost:11434/v1 --model qwen2.5-coder

          Scripts and editors:
            cat task.md | scg --language python --save src/     # prompt from stdin, code blocks written to src/
            scg "Parse a CSV line" --json | jq -j '.text // empty'  # one JSON object per chunk, then the result
            scg "A Dockerfile for a .NET 10 API" --quiet > Dockerfile

          Without a key or an endpoint, scg replays a recorded answer from a loopback server (the offline demo; --demo forces it).

        Exit codes: 0 done, 1 other failure, 2 configuration or usage, 3 authentication, 4 rate limit or quota, 5 timeout,
        6 connection or server error, 130 cancelled (Ctrl+C).
        """;

    private readonly HelpAction _help;

    public HelpExamples(HelpAction help) => _help = help;

    public override int Invoke(ParseResult parseResult)
    {
        int exitCode = _help.Invoke(parseResult);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        output.WriteLine(Examples);
        return exitCode;
    }

    /// <summary>Puts the examples after the help of <paramref name="root"/>.</summary>
    public static void AddTo(RootCommand root)
    {
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction action)
            {
                help.Action = new HelpExamples(action);
            }
        }
    }
}
