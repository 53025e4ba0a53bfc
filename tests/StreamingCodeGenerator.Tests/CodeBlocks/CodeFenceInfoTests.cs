namespace StreamingCodeGeneration.Tests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeFenceInfoTests
{
    [TestCase("```python title=\"sort.py\"", 0, "python title=\"sort.py\"")]
    [TestCase("   ~~~~  ruby  ", 3, "ruby")]
    [TestCase("\t```", 4, "")]
    [TestCase("```", 0, "")]
    public void GetInfoString_FenceLine_TrimsTheTextAfterTheFence(string line, int indentation, string info)
    {
        CodeFenceInfo.GetInfoString(line, out int actualIndentation).ToString().Should().Be(info);
        actualIndentation.Should().Be(indentation);
    }

    [TestCase("python title=\"sort.py\"", "sort.py")]
    [TestCase("python title='src/sort.py'", "src/sort.py")]
    [TestCase("python filename=sort.py", "sort.py")]
    [TestCase("js {1,3} file=\"app.js\"", "app.js")]
    [TestCase("ts path=src/index.ts", "src/index.ts")]
    [TestCase("python:src/sort.py", "src/sort.py")]
    [TestCase("sort.py", "sort.py")]
    [TestCase("Dockerfile", "Dockerfile")]
    [TestCase("python title=\"Sorting example\"", null)]
    [TestCase("python", null)]
    [TestCase("", null)]
    [TestCase("text name=x", null)]
    [TestCase("text path=LICENSE", "LICENSE")]
    [TestCase("sh path=bin/run", "bin/run")]
    [TestCase("text path=\"docs/a b.txt\"", "docs/a b.txt")]
    [TestCase("text file=.gitignore", ".gitignore")]
    [TestCase("text path=\"\"", null)]
    public void GetFileName_InfoString_FindsANamedFile(string info, string? fileName)
    {
        CodeFenceInfo.GetFileName(info).Should().Be(fileName);
    }

    [TestCase("**`sort.py`**", "sort.py")]
    [TestCase("File: sort.py", "sort.py")]
    [TestCase("**File:** `src/main.rs`", "src/main.rs")]
    [TestCase("`src/app/main.py`:", "src/app/main.py")]
    [TestCase("### sort.py", "sort.py")]
    [TestCase("sort.py:", "sort.py")]
    [TestCase("- `main.go`", "main.go")]
    [TestCase("`.gitignore`", ".gitignore")]
    [TestCase("### Program.cs", "Program.cs")]
    [TestCase("Here is the code for sort.py:", null)]
    [TestCase("### Node.js", null)]
    [TestCase("ASP.NET", null)]
    [TestCase("Version 1.2", null)]
    [TestCase("1.5", null)]
    [TestCase("e.g.", null)]
    [TestCase("Example:", null)]
    [TestCase("https://example.com/a.py", null)]
    public void GetFileNameFromProseLine_Line_IsConservative(string line, string? fileName)
    {
        CodeFenceInfo.GetFileNameFromProseLine(line).Should().Be(fileName);
    }
}
