using Microsoft.Playwright;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>The page at <c>/</c> in a real headless browser against the service with a loopback upstream: generate, stop, errors, keys.</summary>
[NonParallelizable]
public sealed class PageTests : BrowserFixture
{
    private const string Code = "def bubble_sort(items):\n    for end in range(len(items) - 1, 0, -1):\n        for i in range(end):\n            if items[i] > items[i + 1]:\n                items[i], items[i + 1] = items[i + 1], items[i]\n    return items\n";

    [Test]
    public async Task Generate_StreamsTheAnswerWithTheCodeBlockSetApart()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role()
            .Content("Here is a bubble sort:\n\n").CodeBlock("python", Code, "bubble_sort.py").Content("\nEach pass moves the largest item to the end.")
            .Finish().Usage(40, 90).Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.FillAsync("#prompt", "Write a bubble sort");
        await page.SelectOptionAsync("#language", "Python");
        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        (await page.TextContentAsync(".code-block code")).Should().Be(Code);
        (await page.TextContentAsync(".code-block .lang")).Should().Be("python");
        (await page.TextContentAsync(".code-block .file")).Should().Be("bubble_sort.py");
        (await page.Locator(".code-block .copy").CountAsync()).Should().Be(1);
        (await page.Locator(".prose p").AllTextContentsAsync()).Should().Equal("Here is a bubble sort:", "Each pass moves the largest item to the end.");
        (await page.TextContentAsync(".turn.user .bubble")).Should().Be("Write a bubble sort");
        (await page.TextContentAsync(".turn.user .meta")).Should().Be("Python");
        (await page.InputValueAsync("#prompt")).Should().BeEmpty("the prompt moved into the conversation");
        (await page.TextContentAsync("#generate")).Should().Be("Send");
        string status = (await page.TextContentAsync("#status"))!;
        status.Should().Contain("tokens").And.Contain("tokens/s").And.Contain("first chunk");
        (await page.IsHiddenAsync("#error")).Should().BeTrue();
        (await page.GetAttributeAsync(".turn.assistant", "aria-busy")).Should().Be("false");
        (await page.TextContentAsync("#announcer")).Should().Be("The answer is complete.");
        upstream.Requests.Single().Messages.Last().Content.Should().Contain("Write a bubble sort");
        upstream.Requests.Single().Messages[0].Content.Should().Contain("Python");
        session.Errors.Should().BeEmpty();
        await session.ScreenshotAsync("page-answer");
    }

    [Test]
    public async Task Stop_CancelsTheUpstreamAndKeepsWhatArrivedInTheConversation()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("The first half").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync(".prose:has-text('The first half')");
        await page.ClickAsync("#stop");

        await upstream.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
        await page.WaitForSelectorAsync("#status:has-text('Stopped')");
        (await page.TextContentAsync(".prose")).Should().Be("The first half");
        (await page.TextContentAsync(".turn.assistant .turn-note")).Should().StartWith("Stopped.");
        (await page.IsEnabledAsync("#generate")).Should().BeTrue();
        (await page.IsEnabledAsync("#new-conversation")).Should().BeTrue();
    }

    [Test]
    public async Task Escape_StopsAndCtrlEnter_Sends()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("Streaming slowly").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.FillAsync("#prompt", "Write a queue");
        await page.PressAsync("#prompt", "Control+Enter");
        await page.WaitForSelectorAsync(".prose:has-text('Streaming slowly')");
        await page.Keyboard.PressAsync("Escape");

        await upstream.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
        await page.WaitForSelectorAsync("#status:has-text('Stopped')");
        upstream.Requests.Single().Messages.Last().Content.Should().Be("Write a queue");
    }

    [Test]
    public async Task UpstreamError_IsShownAsAClearMessageKeepingWhatArrived()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("Partial answer").ErrorEvent("overloaded").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#error:visible");

        (await page.TextContentAsync("#error")).Should().Be("The model provider reported an error in its stream.");
        (await page.TextContentAsync(".prose")).Should().Be("Partial answer");
        (await page.TextContentAsync(".turn.assistant .turn-note")).Should().Be("The answer was cut short: The model provider reported an error in its stream.");
        (await page.TextContentAsync("#status"))!.Should().StartWith("Failed");
        await session.ScreenshotAsync("page-error");
    }

    [Test]
    public async Task UpstreamStatus_IsShownAsAClearMessageAndThePromptComesBack()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfter: "3"));
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.FillAsync("#prompt", "Write a heap");
        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#error:visible");

        (await page.TextContentAsync("#error")).Should().Contain("rate-limiting");
        (await page.Locator(".turn").CountAsync()).Should().Be(0, "an exchange without an answer leaves the conversation");
        (await page.InputValueAsync("#prompt")).Should().Be("Write a heap");
        (await page.IsVisibleAsync("#welcome")).Should().BeTrue();
    }

    [Test]
    public async Task ServiceKey_Required_AsksForItAndNeverStoresIt()
    {
        await using var upstream = await OpenAITestServer.StartAsync(SseScript.Answer("Keyed answer"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:ApiKeys:0"] = "page-key-0123456789" }, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#api-key:visible");
        await page.FillAsync("#api-key", "page-key-0123456789");
        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync("#status:has-text('Done')");

        (await page.TextContentAsync(".prose")).Should().Be("Keyed answer");
        string stored = await page.EvaluateAsync<string>("() => JSON.stringify(Object.assign({}, localStorage))");
        stored.Should().Contain("Keyed answer").And.NotContain("page-key-0123456789");
    }
}
