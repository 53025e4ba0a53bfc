using Microsoft.Playwright;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>The page at <c>/</c> in a real headless browser against the service with a loopback upstream.</summary>
[NonParallelizable]
public sealed class PageTests
{
    private const string Code = "def bubble_sort(items):\n    for end in range(len(items) - 1, 0, -1):\n        for i in range(end):\n            if items[i] > items[i + 1]:\n                items[i], items[i + 1] = items[i + 1], items[i]\n    return items\n";

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task LaunchAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _playwright.Dispose();
        }
    }

    private async Task<IPage> OpenAsync(ServiceHost service)
    {
        IPage page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 900 } });
        await page.GotoAsync(service.BaseAddress.ToString());
        return page;
    }

    [Test]
    public async Task Generate_StreamsTheAnswerWithTheCodeBlockSetApart()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role()
            .Content("Here is a bubble sort:\n\n").CodeBlock("python", Code, "bubble_sort.py").Content("\nEach pass moves the largest item to the end.")
            .Finish().Usage(40, 90).Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        IPage page = await OpenAsync(service);

        await page.FillAsync("#prompt", "Write a bubble sort");
        await page.SelectOptionAsync("#language", "Python");
        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        (await page.TextContentAsync(".code-block code")).Should().Be(Code);
        (await page.TextContentAsync(".code-block .lang")).Should().Be("python");
        (await page.TextContentAsync(".code-block .file")).Should().Be("bubble_sort.py");
        (await page.Locator(".code-block .copy").CountAsync()).Should().Be(1);
        string prose = string.Concat(await page.Locator(".prose").AllTextContentsAsync());
        prose.Should().Be("Here is a bubble sort:\n\n\nEach pass moves the largest item to the end.");
        string status = (await page.TextContentAsync("#status"))!;
        status.Should().Contain("tokens").And.Contain("tokens/s").And.Contain("first chunk");
        (await page.IsHiddenAsync("#error")).Should().BeTrue();
        upstream.Requests.Single().Messages[0].Content.Should().Contain("Python");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "page-answer.png"), FullPage = true });
    }

    [Test]
    public async Task Stop_CancelsTheUpstreamAndKeepsWhatArrived()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("The first half").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        IPage page = await OpenAsync(service);

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync(".prose:has-text('The first half')");
        await page.ClickAsync("#stop");

        await upstream.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
        await page.WaitForSelectorAsync("#status:has-text('Stopped')");
        (await page.TextContentAsync(".prose")).Should().Be("The first half");
        (await page.IsEnabledAsync("#generate")).Should().BeTrue();
    }

    [Test]
    public async Task UpstreamError_IsShownAsAClearMessageKeepingWhatArrived()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("Partial answer").ErrorEvent("overloaded").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        IPage page = await OpenAsync(service);

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#error:visible");

        (await page.TextContentAsync("#error")).Should().Be("The model provider reported an error in its stream.");
        (await page.TextContentAsync(".prose")).Should().Be("Partial answer");
        (await page.TextContentAsync("#status"))!.Should().StartWith("Failed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "page-error.png"), FullPage = true });
    }

    [Test]
    public async Task UpstreamStatus_IsShownAsAClearMessage()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfter: "3"));
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        IPage page = await OpenAsync(service);

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#error:visible");

        (await page.TextContentAsync("#error")).Should().Contain("rate-limiting");
    }

    [Test]
    public async Task ScriptInTheAnswer_IsShownAsTextAndNeverRuns()
    {
        const string Hostile = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("Look: ", Hostile, "\n```html\n", Hostile, "\n```\n").Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        IPage page = await OpenAsync(service);

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        (await page.TextContentAsync(".prose")).Should().StartWith("Look: " + Hostile);
        (await page.TextContentAsync(".code-block code")).Should().Be(Hostile + "\n");
        (await page.Locator("#answer script, #answer img").CountAsync()).Should().Be(0);
        (await page.EvaluateAsync<bool>("() => window.pwned === undefined")).Should().BeTrue();
    }
}
