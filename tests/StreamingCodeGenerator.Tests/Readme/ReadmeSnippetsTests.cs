using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamingCodeGeneration.Tests.Readme;

/// <summary>
/// README's C# snippets compile as written: each becomes a method of its own in a throwaway project that references the
/// library (built apart, under artifacts/, so it never clobbers this build). Names a snippet uses without declaring
/// (<c>key</c>, <c>generator</c>, <c>chatClient</c>…) are the ones <see cref="Context"/> declares.
/// </summary>
[TestFixture]
public sealed partial class ReadmeSnippetsTests
{
    /// <summary>What the snippets may use without declaring it, as a reader would have it.</summary>
    private const string Context = """
        namespace ReadmeSnippets;

        internal static class ReadmeContext
        {
            public static string key = "";
            public static string azureKey = "";
            public static string previousAnswer = "";
            public static string text = "";
            public static string[] args = [];
            public static StreamingCodeGeneration.StreamingCodeGenerator generator = null!;
            public static StreamingCodeGeneration.CodeGenerationRequest request = null!;
            public static OpenAI.Chat.ChatClient openAIChatClient = null!;
            public static Microsoft.Extensions.AI.IChatClient chatClient = null!;
            public static Microsoft.Extensions.DependencyInjection.IServiceCollection services = null!;
        }
        """;

    [Test]
    public void ReadmeCSharpSnippets_CompileAsWritten()
    {
        string root = RepositoryLayout.Root;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        MatchCollection snippets = CSharpBlock().Matches(readme);
        snippets.Count.Should().BeGreaterThan(5, "README has C# snippets to check");

        string work = Path.Combine(Path.GetTempPath(), "scg-readme-" + Guid.NewGuid().ToString("N"));
        string isolated = "readme-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(work);
        try
        {
            File.WriteAllText(Path.Combine(work, "ReadmeSnippets.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <NoWarn>$(NoWarn);CS0168;CS0219;CS1998;CS8321;NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(root, "src", "StreamingCodeGenerator", "StreamingCodeGenerator.csproj")}" />
                    <ProjectReference Include="{Path.Combine(root, "src", "StreamingCodeGenerator.Testing", "StreamingCodeGenerator.Testing.csproj")}" />
                    <PackageReference Include="Azure.Identity" Version="1.21.0" />
                    <PackageReference Include="Azure.AI.OpenAI" Version="2.1.0" />
                    <PackageReference Include="Microsoft.Extensions.AI" Version="11.0.0" />
                    <PackageReference Include="Microsoft.Extensions.AI.OpenAI" Version="11.0.0" />
                    <PackageReference Include="OpenTelemetry" Version="1.20.0" />
                    <PackageReference Include="OpenTelemetry.Exporter.OpenTelemetryProtocol" Version="1.20.0" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(work, "Program.cs"), "System.Console.WriteLine(\"README snippets compile.\");\n");
            File.WriteAllText(Path.Combine(work, "ReadmeContext.cs"), Context);
            for (int i = 0; i < snippets.Count; i++)
            {
                File.WriteAllText(Path.Combine(work, $"Snippet{i:00}.cs"), Wrap(i, snippets[i].Groups[1].Value));
            }

            (int exitCode, string output) = Run("dotnet", $"build \"{work}\" -c Release -p:IsolatedOutput={isolated} --nologo -v q", work);

            exitCode.Should().Be(0, "every README snippet compiles; the build said:\n" + string.Join('\n', output.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).Distinct()));
        }
        finally
        {
            TryDelete(work);
            TryDelete(Path.Combine(root, "artifacts", isolated));
        }
    }

    /// <summary>A snippet as a method: its <c>using</c> directives go to the top of the file, the rest is the body.</summary>
    private static string Wrap(int index, string snippet)
    {
        var usings = new StringBuilder("using StreamingCodeGeneration;\nusing static ReadmeSnippets.ReadmeContext;\n");
        var body = new StringBuilder();
        foreach (string line in snippet.Split('\n'))
        {
            if (UsingDirective().IsMatch(line))
            {
                usings.Append(line).Append('\n');
            }
            else
            {
                body.Append("        ").Append(line).Append('\n');
            }
        }

        return $$"""
            {{usings}}
            namespace ReadmeSnippets;

            internal static class Snippet{{index:00}}
            {
                public static async Task RunAsync()
                {
            {{body}}
                    await Task.CompletedTask;
                }
            }
            """;
    }

    private static (int ExitCode, string Output) Run(string command, string arguments, string directory)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using [A-Za-z0-9_.]+;\s*$")]
    private static partial Regex UsingDirective();
}
