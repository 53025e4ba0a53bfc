using Microsoft.Playwright;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>
/// One headless chromium per fixture; each test opens its pages in a fresh browser context (its own local storage)
/// through <see cref="OpenAsync"/>, which records console errors, uncaught exceptions and dialogs.
/// </summary>
public abstract class BrowserFixture
{
    private IPlaywright _playwright = null!;

    protected IBrowser Browser { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task LaunchAsync() => (_playwright, Browser) = await Chromium.LaunchAsync();

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
    }

    /// <summary>Opens the page at the service's <c>/</c> in a new context (1000×900 unless <paramref name="options"/> says otherwise).</summary>
    protected async Task<PageSession> OpenAsync(ServiceHost service, BrowserNewContextOptions? options = null, string? initScript = null)
    {
        options ??= new BrowserNewContextOptions();
        options.ViewportSize ??= new ViewportSize { Width = 1000, Height = 900 };
        IBrowserContext context = await Browser.NewContextAsync(options);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var session = new PageSession(context, await context.NewPageAsync(), service.BaseAddress);
        await session.GotoAsync();
        return session;
    }
}
