using System.ComponentModel;
using System.Text.Json;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>The body of <c>POST /generate-code</c>.</summary>
/// <param name="Prompt">What to write, for example "Create a function that sorts a list using bubble sort."</param>
/// <param name="Language">The programming language to write it in, for example <c>python</c>; the model chooses when absent.</param>
internal sealed record GenerateCodeRequest(
    [property: Description("What to write, for example \"Create a function that sorts a list using bubble sort.\" At most 5,000 characters by default.")] string Prompt,
    [property: Description("The programming language to write it in, for example python; the model chooses when absent.")] string? Language = null)
{
    public const string Example = "{\"prompt\": \"Create a function that sorts a list using bubble sort.\", \"language\": \"python\"}";

    /// <summary>Reads and checks a parsed body.</summary>
    public static (CodeGenerationRequest? Request, ServiceError? Error) Parse(JsonElement body, int maxPromptCharacters)
    {
        if ((RequestFields.OptionalString(body, "prompt", out string? prompt) ?? RequestFields.CheckPrompt("prompt", prompt, maxPromptCharacters)) is { } promptError)
        {
            return (null, promptError);
        }

        if ((RequestFields.OptionalString(body, "language", out string? language) ?? RequestFields.CheckLanguage("language", language)) is { } languageError)
        {
            return (null, languageError);
        }

        return (new CodeGenerationRequest(prompt!) { TargetLanguage = language }, null);
    }
}
