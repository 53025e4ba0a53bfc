namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>Model answers in the file protocol.</summary>
public static class Answers
{
    public static string File(string path, string content, string language = "text", string fence = "```") =>
        $"{fence}{language} path={path}\n{content}{(content.Length == 0 || content.EndsWith('\n') ? "" : "\n")}{fence}\n";

    public static string Delete(string path) => $"```delete path={path}\n```\n";

    public static string Generation(params string[] blocks) => "I make the change.\n\n" + string.Join("\n", blocks) + "\nDone.\n";

    public const string Confident = "[CONFIDENT]\n";

    public static string Revision(params string[] blocks) => "[REVISION NEEDED]\nThe change misses a case.\n\n" + string.Join("\n", blocks);
}
