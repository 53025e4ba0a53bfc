using Microsoft.Playwright;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>How the page looks and what it says before anything is asked: themes, icon, the offline demo's banner, a phone's width.</summary>
[NonParallelizable]
public sealed class PageLookTests : BrowserFixture
{
    private static Task<ServiceHost> StartDemoAsync() => ServiceHost.StartAsync(upstream: null, kestrel: true);

    [Test]
    public async Task OfflineDemo_SaysSoBeforeTheFirstClick()
    {
        await using ServiceHost service = await StartDemoAsync();
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.WaitForSelectorAsync("#demo-banner:visible");

        string banner = await page.InnerTextAsync("#demo-banner");
        banner.Should().Contain("Offline demo").And.Contain("same recorded C# bubble sort, whatever you ask").And.Contain("OPENAI_API_KEY").And.Contain("OPENAI_BASE_URL");
        (await page.Locator(".turn").CountAsync()).Should().Be(0, "nothing was asked yet");
        session.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task RealModel_ShowsNoDemoBanner()
    {
        await using var upstream = await OpenAITestServer.StartAsync(SseScript.Answer("never asked").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);

        await session.Page.WaitForSelectorAsync("html[data-upstream='model']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

        (await session.Page.IsHiddenAsync("#demo-banner")).Should().BeTrue();
        upstream.RequestCount.Should().Be(0);
        session.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task Favicon_IsServedByTheAppAndTheConsoleStaysClean()
    {
        await using ServiceHost service = await StartDemoAsync();
        IBrowserContext context = await Browser.NewContextAsync();
        IPage page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };

        IResponse icon = await page.RunAndWaitForResponseAsync(() => page.GotoAsync(service.BaseAddress.ToString()), response => response.Url.Contains("/favicon", StringComparison.Ordinal));

        icon.Url.Should().Be(new Uri(service.BaseAddress, "/favicon.svg").ToString());
        icon.Status.Should().Be(200);
        (await icon.HeaderValueAsync("content-type")).Should().Be("image/svg+xml");
        (await icon.TextAsync()).Should().StartWith("<svg").And.NotContain("<script");
        using HttpResponseMessage ico = await service.Client.GetAsync("/favicon.ico");
        ico.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        await page.WaitForSelectorAsync("#demo-banner:visible");
        errors.Should().BeEmpty();
        await context.CloseAsync();
    }

    [Test]
    public async Task DarkTheme_ChangesTheColoursAndBothThemesAreCaptured()
    {
        await using ServiceHost service = await StartDemoAsync();
        var backgrounds = new Dictionary<ColorScheme, (string Page, string Code, string Keyword)>();
        foreach (ColorScheme scheme in (ColorScheme[])[ColorScheme.Light, ColorScheme.Dark])
        {
            await using PageSession session = await OpenAsync(service, new BrowserNewContextOptions { ColorScheme = scheme });
            IPage page = session.Page;
            await page.WaitForSelectorAsync("#demo-banner:visible");
            await session.ScreenshotAsync($"page-{scheme.ToString().ToLowerInvariant()}-start");
            await session.SendAsync("Write a bubble sort in C#");

            backgrounds[scheme] = (
                await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"),
                await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.code-block')).backgroundColor"),
                await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.code-block .tok-keyword')).color"));
            (await page.Locator(".prose h3").AllTextContentsAsync()).Should().Equal("How it works");
            (await page.Locator(".prose ol > li > strong").CountAsync()).Should().Be(3);
            session.Errors.Should().BeEmpty();
            await session.ScreenshotAsync($"page-{scheme.ToString().ToLowerInvariant()}");
        }

        backgrounds[ColorScheme.Light].Page.Should().Be("rgb(246, 247, 249)");
        backgrounds[ColorScheme.Dark].Page.Should().Be("rgb(14, 17, 22)");
        backgrounds[ColorScheme.Dark].Code.Should().NotBe(backgrounds[ColorScheme.Light].Code);
        backgrounds[ColorScheme.Dark].Keyword.Should().NotBe(backgrounds[ColorScheme.Light].Keyword);
    }

    [Test]
    public async Task Phone_390PixelsWide_FitsWithoutSidewaysScrolling()
    {
        await using ServiceHost service = await StartDemoAsync();
        await using PageSession session = await OpenAsync(service, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        IPage page = session.Page;
        await page.WaitForSelectorAsync("#demo-banner:visible");
        await session.ScreenshotAsync("page-mobile-start");

        await session.SendAsync("Write a bubble sort in C#");

        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390);
        (await page.IsVisibleAsync("#generate")).Should().BeTrue();
        (await page.IsVisibleAsync("#stop")).Should().BeTrue();
        ILocator code = page.Locator(".code-block pre").First;
        (await code.EvaluateAsync<bool>("pre => pre.scrollWidth > pre.clientWidth")).Should().BeTrue("long code lines scroll inside their box");
        session.Errors.Should().BeEmpty();
        await session.ScreenshotAsync("page-mobile");
    }

    [Test]
    public async Task Keyboard_FocusIsVisibleOnTheControls()
    {
        await using ServiceHost service = await StartDemoAsync();
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.FocusAsync("#language");
        await page.Keyboard.PressAsync("Tab");

        (await page.EvaluateAsync<string>("() => document.activeElement.id")).Should().Be("generate", "Stop is disabled, so Tab goes from the language to Generate");
        (await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle")).Should().Be("solid");
        (await page.GetAttributeAsync("#announcer", "aria-live")).Should().Be("polite");
        (await page.GetAttributeAsync("#conversation", "aria-live")).Should().BeNull("the streaming text is not read out token by token");
    }
}
