using Microsoft.Playwright;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>Debian's chromium, driven by Playwright (never a downloaded browser), headless, with no background traffic; Playwright gives every launch a fresh profile (it refuses --user-data-dir).</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Ignore($"{ExecutablePath} is missing: apt-get install chromium (.ci/run does).");
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }
}
