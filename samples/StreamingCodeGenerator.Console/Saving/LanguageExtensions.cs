namespace StreamingCodeGeneration.Samples.Console;

/// <summary>The file extension for a fence's language, for blocks that name no file (<c>block-2.py</c>).</summary>
internal static class LanguageExtensions
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c#"] = ".cs", ["cs"] = ".cs", ["csharp"] = ".cs",
        ["f#"] = ".fs", ["fs"] = ".fs", ["fsharp"] = ".fs",
        ["vb"] = ".vb", ["vbnet"] = ".vb",
        ["python"] = ".py", ["py"] = ".py", ["python3"] = ".py",
        ["javascript"] = ".js", ["js"] = ".js", ["jsx"] = ".jsx", ["node"] = ".js",
        ["typescript"] = ".ts", ["ts"] = ".ts", ["tsx"] = ".tsx",
        ["java"] = ".java", ["kotlin"] = ".kt", ["kt"] = ".kt", ["scala"] = ".scala", ["groovy"] = ".groovy",
        ["go"] = ".go", ["golang"] = ".go", ["rust"] = ".rs", ["rs"] = ".rs", ["zig"] = ".zig",
        ["c"] = ".c", ["h"] = ".h", ["cpp"] = ".cpp", ["c++"] = ".cpp", ["cxx"] = ".cpp", ["hpp"] = ".hpp",
        ["objective-c"] = ".m", ["objc"] = ".m", ["swift"] = ".swift", ["dart"] = ".dart",
        ["ruby"] = ".rb", ["rb"] = ".rb", ["php"] = ".php", ["perl"] = ".pl", ["lua"] = ".lua", ["r"] = ".r",
        ["haskell"] = ".hs", ["hs"] = ".hs", ["elixir"] = ".ex", ["erlang"] = ".erl", ["clojure"] = ".clj", ["ocaml"] = ".ml",
        ["julia"] = ".jl",
        ["bash"] = ".sh", ["sh"] = ".sh", ["shell"] = ".sh", ["zsh"] = ".sh", ["console"] = ".sh",
        ["powershell"] = ".ps1", ["ps1"] = ".ps1", ["pwsh"] = ".ps1", ["bat"] = ".bat", ["cmd"] = ".cmd",
        ["sql"] = ".sql", ["html"] = ".html", ["css"] = ".css", ["scss"] = ".scss", ["xml"] = ".xml", ["svg"] = ".svg",
        ["json"] = ".json", ["jsonc"] = ".json", ["yaml"] = ".yaml", ["yml"] = ".yml", ["toml"] = ".toml", ["ini"] = ".ini",
        ["markdown"] = ".md", ["md"] = ".md", ["dockerfile"] = ".dockerfile", ["docker"] = ".dockerfile",
        ["makefile"] = ".mk", ["make"] = ".mk", ["diff"] = ".diff", ["patch"] = ".patch", ["graphql"] = ".graphql",
        ["proto"] = ".proto", ["protobuf"] = ".proto", ["razor"] = ".cshtml", ["text"] = ".txt", ["txt"] = ".txt",
    };

    /// <summary>Returns the extension with its dot; <c>.txt</c> for no language or an unknown one.</summary>
    public static string For(string? language) =>
        language is not null && Extensions.TryGetValue(language.Trim(), out string? extension) ? extension : ".txt";
}
