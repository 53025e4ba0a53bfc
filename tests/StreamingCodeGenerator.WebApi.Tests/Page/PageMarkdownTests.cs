using Microsoft.Playwright;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>The answer's prose as Markdown and its code highlighted, built from DOM nodes as it streams; hostile text stays text.</summary>
[NonParallelizable]
public sealed class PageMarkdownTests : BrowserFixture
{
    private const string Prose =
        "### How it works\n\n" +
        "1. **Passes:** each pass walks the unsorted part and moves `end` one step left.\n" +
        "2. *Early exit:* a pass without swaps stops the loop.\n" +
        "   - nested, with ~~no~~ a [link](https://example.com/docs \"Docs\")\n" +
        "   - and `code`\n\n" +
        "> A quote with **strong** text.\n\n" +
        "---\n\n" +
        "| Case | Comparisons |\n|:-----|------------:|\n| best | O(n) |\n| worst | O(n²) |\n\n";

    [Test]
    public async Task Markdown_WhileStreaming_IsRenderedAsElements()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().ContentInPieces(Prose, 7)
            .WaitFor(release.Task).Content("Stable: equal items keep their order.").Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync(".prose table td:has-text('O(n²)')");

        (await page.TextContentAsync("#status"))!.Should().StartWith("Streaming", "the answer is still open");
        await AssertRenderedAsync(page);
        await page.EvaluateAsync("() => { for (const node of document.querySelectorAll('.prose > h3, .prose > ol')) node.dataset.seen = 'while streaming'; }");

        release.SetResult();
        await page.WaitForSelectorAsync("#status:has-text('Done')");
        await AssertRenderedAsync(page);
        (await page.Locator(".prose > [data-seen]").CountAsync()).Should().Be(2, "finished blocks keep their elements; only the open block is drawn again");
        (await page.Locator(".prose > p").Last.TextContentAsync()).Should().Be("Stable: equal items keep their order.");
        (await page.TextContentAsync(".prose")).Should().NotContain("###").And.NotContain("**").And.NotContain("`");
        session.Errors.Should().BeEmpty();
    }

    private static async Task AssertRenderedAsync(IPage page)
    {
        (await page.Locator(".prose h3").AllTextContentsAsync()).Should().Equal("How it works");
        (await page.Locator(".prose > ol > li").CountAsync()).Should().Be(2);
        (await page.TextContentAsync(".prose ol > li:first-child > strong")).Should().Be("Passes:");
        (await page.TextContentAsync(".prose ol > li:first-child > code")).Should().Be("end");
        (await page.TextContentAsync(".prose ol > li:nth-child(2) > em")).Should().Be("Early exit:");
        (await page.Locator(".prose ol > li:nth-child(2) > ul > li").AllTextContentsAsync()).Should().Equal("nested, with no a link", "and code");
        (await page.TextContentAsync(".prose ol ul del")).Should().Be("no");
        (await page.GetAttributeAsync(".prose ol ul a", "href")).Should().Be("https://example.com/docs");
        (await page.GetAttributeAsync(".prose ol ul a", "rel")).Should().Be("noopener noreferrer");
        (await page.TextContentAsync(".prose blockquote strong")).Should().Be("strong");
        (await page.Locator(".prose hr").CountAsync()).Should().Be(1);
        (await page.Locator(".prose th").AllTextContentsAsync()).Should().Equal("Case", "Comparisons");
        (await page.GetAttributeAsync(".prose th:nth-child(2)", "align")).Should().Be("right");
        (await page.Locator(".prose td").AllTextContentsAsync()).Should().Equal("best", "O(n)", "worst", "O(n²)");
    }

    [Test]
    public async Task HostileMarkdown_IsShownAsTextAndNeverRuns()
    {
        const string Hostile =
            "Links: [js](javascript:window.__pwned=1) [data](data:text/html,<script>window.__pwned=2</script>) " +
            "[vb](vbscript:msgbox) [spaced]( javascript:alert(1)) [rel](/v1/chat/completions) [ok](https://example.com/ok)\n\n" +
            "Raw: <img src=x onerror=\"window.__pwned=3\"> <script>window.__pwned=4</script> <iframe src=\"javascript:alert(5)\"></iframe>\n\n" +
            "Markup in a link: [<img src=x onerror=window.__pwned=6>**bold**](https://example.com/x)\n\n" +
            "Image: ![alt <b>x</b>](https://example.com/i.png) ![y](javascript:alert(7))\n\n" +
            "<https://example.com/auto> <javascript:alert(8)>\n\n" +
            "- item <svg onload=\"window.__pwned=9\"></svg>\n\n";
        const string HtmlCode = "<script>window.__pwned = 10</script>\n<img src=x onerror=\"window.__pwned = 11\">\n";
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().ContentInPieces(Hostile, 5)
            .CodeBlock("html", HtmlCode, pieceLength: 3).Content("\nThe end.").Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        (await page.Locator("#conversation :is(script, img, iframe, svg, object, embed, b)").CountAsync()).Should().Be(0);
        (await page.EvaluateAsync<bool>("() => window.__pwned === undefined")).Should().BeTrue();
        session.Dialogs.Should().BeEmpty();
        session.Errors.Should().BeEmpty("a blocked inline script or a failed image would log an error");
        string[] hrefs = await page.EvalOnSelectorAllAsync<string[]>("#conversation a", "links => links.map(a => a.href)");
        hrefs.Should().Equal("https://example.com/ok", "https://example.com/x", "https://example.com/i.png", "https://example.com/auto");
        string[] rels = await page.EvalOnSelectorAllAsync<string[]>("#conversation a", "links => links.map(a => a.rel)");
        rels.Should().AllBe("noopener noreferrer");
        string prose = string.Concat(await page.Locator(".prose").AllTextContentsAsync());
        prose.Should().Contain("Links: js data vb spaced rel ok")
            .And.Contain("Raw: <img src=x onerror=\"window.__pwned=3\"> <script>window.__pwned=4</script> <iframe src=\"javascript:alert(5)\"></iframe>")
            .And.Contain("Image: alt <b>x</b> y")
            .And.Contain("item <svg onload=\"window.__pwned=9\"></svg>");
        (await page.TextContentAsync(".prose a[href='https://example.com/x']")).Should().Be("<img src=x onerror=window.__pwned=6>bold");
        (await page.TextContentAsync(".prose a[href='https://example.com/x'] strong")).Should().Be("bold");
        (await page.TextContentAsync(".code-block code")).Should().Be(HtmlCode);
        (await page.Locator(".code-block code .tok-tag").CountAsync()).Should().BeGreaterThan(0);
    }

    [Test]
    public async Task HostileStructure_IsShownFlatBeyondTwelveLevelsAndNothingThrows()
    {
        var deep = new System.Text.StringBuilder();
        for (int level = 0; level < 200; level++)
        {
            deep.Append(' ', 2 * level).Append("- level ").Append(level).Append('\n');
        }

        string text = deep + "\n" + new string('>', 3000) + " quoted\n\n" + new string('[', 5000) + "\n\n" +
            string.Concat(Enumerable.Repeat("*a ", 2000)) + "b" + string.Concat(Enumerable.Repeat(" c*", 2000)) + "\n";
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().ContentInPieces(text, 500).Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        int depth = await page.EvaluateAsync<int>("() => { let d = 0, n = document.querySelector('.prose > ul'); while (n) { d++; n = n.querySelector(':scope > li > ul'); } return d; }");
        depth.Should().BeInRange(12, 14, "lists nest to the limit; deeper levels are shown as text");
        (await page.Locator(".prose blockquote").CountAsync()).Should().BeLessThanOrEqualTo(14);
        string prose = (await page.TextContentAsync(".prose"))!;
        prose.Should().Contain("level 199").And.Contain("quoted").And.Contain(new string('[', 5000));
        (await page.Locator(".prose em").CountAsync()).Should().BeLessThanOrEqualTo(14);
        session.Errors.Should().BeEmpty();
    }

    private static readonly (string Language, string Code, string TokenClass, string Token)[] Samples =
    [
        ("csharp", "public static class Stack<T>\n{\n    /* multi-line\n       comment */\n    private readonly List<T> _items = new();\n    public T Peek() => _items[^1]; // last\n    string s = $\"{_items.Count} items\" + @\"C:\\path\";\n}\n", "tok-keyword", "public"),
        ("python", "@dataclass\nclass Stack:\n    \"\"\"A stack.\n    Docs span lines.\"\"\"\n    def peek(self) -> int:\n        return self.items[-1]  # last\nprint(f\"{len([1, 2])} items\", 'x')\n", "tok-string", "'x'"),
        ("go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tx := `raw\nstring`\n\tfmt.Println(x, 42, nil)\n}\n", "tok-keyword", "func"),
        ("rust", "#[derive(Debug)]\nstruct Stack<'a> { items: Vec<&'a str> }\nfn main() { let c = 'x'; println!(\"{}\", 1_000u32); }\n", "tok-function", "println!"),
        ("typescript", "export function debounce<T>(fn: (value: T) => void, ms = 200): void {\n  const s = `line ${ms}\nnext`;\n  return undefined;\n}\n", "tok-keyword", "export"),
        ("bash", "#!/usr/bin/env bash\nset -euo pipefail\nfor f in \"$@\"; do echo \"${f}\" $HOME # each\ndone\n", "tok-variable", "$HOME"),
        ("json", "{\n  \"name\": \"scg\",\n  \"count\": 3,\n  \"ok\": true\n}\n", "tok-property", "\"name\""),
        ("sql", "SELECT name, COUNT(*) FROM runs -- all\nWHERE state = 'done' /* finished */\nGROUP BY name;\n", "tok-keyword", "SELECT"),
        ("diff", "--- a/stack.py\n+++ b/stack.py\n@@ -1,2 +1,3 @@\n class Stack:\n-    pass\n+    def peek(self):\n+        return self.items[-1]\n", "tok-inserted", "+    def peek(self):"),
        ("java", "@Override\npublic String toString() { return \"\"\"\n    text\n    \"\"\"; }\n", "tok-meta", "@Override"),
        ("cpp", "#include <vector>\nint main() { std::vector<int> v{1, 2}; return 0; }\n", "tok-meta", "#include <vector>"),
        ("unknown-language", "just <text> & \"quotes\"\n", "", ""),
    ];

    [Test]
    public async Task Highlighting_WhileStreaming_MakesTokenSpansAndKeepsTheCodeExact()
    {
        var script = new SseScript().Role().Content("Samples:\n\n");
        foreach ((string language, string code, _, _) in Samples)
        {
            script.CodeBlock(language, code, pieceLength: 3).Content("\n");
        }

        await using var upstream = await OpenAITestServer.StartAsync(script.Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        ILocator blocks = page.Locator(".code-block");
        (await blocks.CountAsync()).Should().Be(Samples.Length);
        for (int i = 0; i < Samples.Length; i++)
        {
            (string language, string code, string tokenClass, string token) = Samples[i];
            ILocator block = blocks.Nth(i);
            (await block.Locator("code").TextContentAsync()).Should().Be(code, "the highlighted {0} block's text is the code, exactly", language);
            (await block.Locator(".lang").TextContentAsync()).Should().Be(language);
            if (tokenClass.Length == 0)
            {
                (await block.Locator("code [class^='tok-']").CountAsync()).Should().Be(0, "an unknown language is shown plain");
                continue;
            }

            (await block.Locator("code ." + tokenClass).AllTextContentsAsync()).Should().Contain(token, "in the {0} block", language);
        }

        (await blocks.Nth(0).Locator(".tok-comment").AllTextContentsAsync()).Should().Contain(["/* multi-line", "       comment */", "// last"]);
        (await blocks.Nth(1).Locator(".tok-string").AllTextContentsAsync()).Should().Contain(["\"\"\"A stack.", "    Docs span lines.\"\"\""]);
        (await blocks.Nth(8).Locator(".tok-deleted").AllTextContentsAsync()).Should().Equal("-    pass");
        session.Errors.Should().BeEmpty();
    }
}
