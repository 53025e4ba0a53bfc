using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>The page in one browser context, with everything that went wrong in it: console errors (a CSP violation, a 404), uncaught exceptions, dialogs.</summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _address;

    public PageSession(IBrowserContext context, IPage page, Uri address)
    {
        _context = context;
        _address = address;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add("console: " + message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Add("uncaught: " + error);
        page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Type + ": " + dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public ConcurrentBag<string> Errors { get; } = [];

    public ConcurrentBag<string> Dialogs { get; } = [];

    public async Task GotoAsync() => await Page.GotoAsync(_address.ToString());

    /// <summary>Reloads; returns after the load event, so the page's (inline, synchronous) script has run.</summary>
    public async Task ReloadAsync() => await Page.ReloadAsync();

    /// <summary>Clicks Generate/Send and waits for the status line to say the answer ended with <paramref name="state"/>.</summary>
    public async Task SendAsync(string prompt, string state = "Done")
    {
        await Page.FillAsync("#prompt", prompt);
        await Page.ClickAsync("#generate");
        await Page.WaitForSelectorAsync($"#status:text-matches('^{state}')");
    }

    /// <summary>
    /// Saves screenshots under the test output's <c>page-screenshots</c> folder and attaches them to the test: what the
    /// window shows, scrolled to the end (<c>NAME-window.png</c>), and the whole page (<c>NAME.png</c>), with the composer
    /// (which sticks to the window's bottom) put back in the page's flow for it, through the CSSOM the page's CSP allows.
    /// </summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "page-screenshots");
        Directory.CreateDirectory(folder);
        string window = Path.Combine(folder, name + "-window.png");
        await Page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight)");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = window });
        TestContext.AddTestAttachment(window, name + " (window)");
        string path = Path.Combine(folder, name + ".png");
        await Page.EvaluateAsync("() => { document.querySelector('.composer').style.position = 'static'; }");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        await Page.EvaluateAsync("() => { document.querySelector('.composer').style.position = ''; }");
        TestContext.AddTestAttachment(path, name);
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
