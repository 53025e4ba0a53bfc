using Microsoft.Playwright;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Page;

/// <summary>Follow-ups continue the conversation (the API gets the earlier turns), which survives a reload and can be started over.</summary>
[NonParallelizable]
public sealed class PageConversationTests : BrowserFixture
{
    private const string FirstAnswer = "Here is a stack:\n\n```python title=stack.py\nclass Stack:\n    def push(self, item):\n        self.items.append(item)\n```\n\n### Notes\n\n- **push** is O(1)\n";
    private const string Code = "class Stack:\n    def push(self, item):\n        self.items.append(item)\n";

    private static string[] Conversation(RecordedRequest request) =>
        [.. request.Messages.Where(m => m.Role != "system").Select(m => m.Role + ": " + m.Content)];

    [Test]
    public async Task FollowUp_SendsTheEarlierTurns()
    {
        await using var upstream = await OpenAITestServer.StartAsync(
            new SseScript().Role().ContentInPieces(FirstAnswer, 9).Finish().Done().Build(),
            SseScript.Answer("Added ", "`peek`.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);

        await session.SendAsync("Write a stack");
        await session.SendAsync("now add a Peek method");

        Conversation(upstream.Requests[0]).Should().Equal("user: Write a stack");
        Conversation(upstream.Requests[1]).Should().Equal("user: Write a stack", "assistant: " + FirstAnswer, "user: now add a Peek method");
        (await session.Page.Locator(".turn.user .bubble").AllTextContentsAsync()).Should().Equal("Write a stack", "now add a Peek method");
        (await session.Page.Locator(".turn.assistant").Last.Locator(".prose code").TextContentAsync()).Should().Be("peek");
        session.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task FollowUp_AfterStop_SendsThePartialAnswer()
    {
        await using var upstream = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("Half an ", "answer").Stall().Build(),
            SseScript.Answer("The rest.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.FillAsync("#prompt", "Write a queue");
        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync(".prose:has-text('Half an answer')");
        await page.ClickAsync("#stop");
        await page.WaitForSelectorAsync("#status:has-text('Stopped')");
        await session.SendAsync("continue");

        Conversation(upstream.Requests[1]).Should().Equal("user: Write a queue", "assistant: Half an answer", "user: continue");
    }

    [Test]
    public async Task Reload_RestoresTheConversationAndItContinues()
    {
        await using var upstream = await OpenAITestServer.StartAsync(
            new SseScript().Role().ContentInPieces(FirstAnswer, 9).Finish().Done().Build(),
            SseScript.Answer("Peek added.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;
        await page.SelectOptionAsync("#language", "Python");
        await session.SendAsync("Write a stack");
        string before = (await page.InnerHTMLAsync("#conversation"))!;

        await session.ReloadAsync();

        (await page.InnerHTMLAsync("#conversation")).Should().Be(before, "the restored conversation is built as the streamed one was");
        (await page.TextContentAsync(".turn.user .bubble")).Should().Be("Write a stack");
        (await page.TextContentAsync(".code-block code")).Should().Be(Code);
        (await page.TextContentAsync(".code-block .file")).Should().Be("stack.py");
        (await page.TextContentAsync(".prose h3")).Should().Be("Notes");
        (await page.IsHiddenAsync("#welcome")).Should().BeTrue();
        (await page.TextContentAsync("#generate")).Should().Be("Send");

        await session.SendAsync("now add a Peek method");
        Conversation(upstream.Requests[1]).Should().Equal("user: Write a stack", "assistant: " + FirstAnswer, "user: now add a Peek method");
        session.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task Reload_MidAnswer_KeepsTheAnswerSoFar()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("## Part one\n\nSo far").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;

        await page.ClickAsync("#generate");
        await page.WaitForSelectorAsync(".prose p:has-text('So far')");
        await session.ReloadAsync();

        (await page.TextContentAsync(".prose h2")).Should().Be("Part one");
        (await page.TextContentAsync(".prose p")).Should().Be("So far");
        (await page.TextContentAsync(".turn.assistant .turn-note")).Should().StartWith("Interrupted");
        (await page.IsEnabledAsync("#generate")).Should().BeTrue();
    }

    [Test]
    public async Task NewConversation_StartsOver()
    {
        await using var upstream = await OpenAITestServer.StartAsync(SseScript.Answer("First.").Build(), SseScript.Answer("Second.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;
        await session.SendAsync("Write a stack");

        await page.ClickAsync("#new-conversation");

        (await page.Locator(".turn").CountAsync()).Should().Be(0);
        (await page.IsVisibleAsync("#welcome")).Should().BeTrue();
        (await page.IsDisabledAsync("#new-conversation")).Should().BeTrue();
        (await page.EvaluateAsync<string?>("() => localStorage.getItem('scg.conversation.v1')")).Should().BeNull();
        await session.ReloadAsync();
        (await page.Locator(".turn").CountAsync()).Should().Be(0);
        await session.SendAsync("Write a queue");
        Conversation(upstream.Requests[1]).Should().Equal("user: Write a queue");
    }

    [TestCase("{not json")]
    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("{\"v\":2,\"turns\":[]}")]
    [TestCase("{\"v\":1,\"turns\":[{\"role\":\"user\"}]}")]
    [TestCase("{\"v\":1,\"turns\":[{\"role\":\"user\",\"text\":\"x\"},{\"role\":\"assistant\",\"raw\":\"y\",\"segments\":[{\"t\":\"c\",\"code\":5}],\"state\":\"done\"}]}")]
    [TestCase("{\"v\":1,\"turns\":[{\"role\":\"assistant\",\"raw\":\"y\",\"segments\":[],\"state\":\"done\"},{\"role\":\"user\",\"text\":\"x\"}]}")]
    [TestCase("{\"v\":1,\"turns\":[{\"role\":\"user\",\"text\":\"x\"},{\"role\":\"assistant\",\"raw\":\"y\",\"segments\":[{\"t\":\"p\",\"text\":\"<img src=x onerror=window.__pwned=1>\"}],\"state\":\"<b>\"}]}")]
    public async Task StoredConversation_Corrupt_IsSetAsideAndThePageWorks(string stored)
    {
        await using var upstream = await OpenAITestServer.StartAsync(SseScript.Answer("Fresh answer.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service);
        IPage page = session.Page;
        await page.EvaluateAsync("value => localStorage.setItem('scg.conversation.v1', value)", stored);

        await session.ReloadAsync();

        (await page.Locator(".turn").CountAsync()).Should().Be(0);
        (await page.TextContentAsync("#note")).Should().Be("The saved conversation could not be read, so a new one was started.");
        (await page.EvaluateAsync<string?>("() => localStorage.getItem('scg.conversation.v1')")).Should().BeNull();
        await session.SendAsync("Write a stack");
        (await page.TextContentAsync(".prose")).Should().Be("Fresh answer.");
        (await page.EvaluateAsync<bool>("() => window.__pwned === undefined")).Should().BeTrue();
        session.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task StorageFull_TheAnswerStillStreamsAndThePageSaysSo()
    {
        await using var upstream = await OpenAITestServer.StartAsync(SseScript.Answer("Streamed ", "anyway.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        await using PageSession session = await OpenAsync(service, initScript:
            "Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };");

        await session.SendAsync("Write a stack");

        (await session.Page.TextContentAsync(".prose")).Should().Be("Streamed anyway.");
        (await session.Page.TextContentAsync("#note")).Should().Be("This browser did not let the page save the conversation, so a reload starts a new one.");
        session.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task StorageFull_KeepsTheLatestExchanges()
    {
        await using var upstream = await OpenAITestServer.StartAsync(SseScript.Answer("One.").Build(), SseScript.Answer("Two.").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);
        // A storage that holds one exchange (about 250 characters) and refuses more.
        await using PageSession session = await OpenAsync(service, initScript:
            "const setItem = Storage.prototype.setItem; Storage.prototype.setItem = function (key, value) { " +
            "if (value.length > 250) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); return setItem.call(this, key, value); };");
        IPage page = session.Page;

        await session.SendAsync("Write a stack");
        await session.SendAsync("Add peek");
        await session.ReloadAsync();

        (await page.Locator(".turn.user .bubble").AllTextContentsAsync()).Should().Equal("Add peek");
        (await page.Locator(".prose").AllTextContentsAsync()).Should().Equal("Two.");
    }
}
