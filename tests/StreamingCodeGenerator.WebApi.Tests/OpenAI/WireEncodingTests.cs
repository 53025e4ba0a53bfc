using System.Net;
using System.Text;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.OpenAI;

/// <summary>
/// What the service puts on the wire for text that is not ASCII: the characters themselves (UTF-8), not <c>\uXXXX</c>
/// escapes, on the streamed and the whole routes; only characters outside the Basic Multilingual Plane (an emoji) are
/// still escaped, as a surrogate pair. Also no <c>Content-Encoding</c> on a stream. Prints the bytes per chunk.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WireEncodingTests
{
    /// <summary>A realistic answer: French prose around a Python block, with quotes, angle brackets, a plus, an emoji.</summary>
    public const string FrenchAnswer =
        "Voici une implémentation du tri à bulles en Python — elle compare les éléments voisins et les échange s'ils ne sont " +
        "pas dans l'ordre « croissant ».\n\n" +
        "```python title=tri.py\n" +
        "def tri_a_bulles(liste):\n" +
        "    \"\"\"Trie la liste en place (ordre croissant) et la renvoie.\"\"\"\n" +
        "    n = len(liste)\n" +
        "    for i in range(n):\n" +
        "        for j in range(n - i - 1):\n" +
        "            if liste[j] > liste[j + 1]:  # l'élément suivant est plus petit\n" +
        "                liste[j], liste[j + 1] = liste[j + 1], liste[j]\n" +
        "    return liste\n" +
        "```\n\n" +
        "Complexité : O(n²) dans le pire cas ; c'est simple mais lent pour de grandes listes (n > 10 000). Bon tri ! 🚀";

    /// <summary>The same answer with Russian prose: nearly every prose character is outside ASCII.</summary>
    public const string RussianAnswer =
        "Вот реализация сортировки пузырьком на Python — она сравнивает соседние элементы и меняет их местами, если они " +
        "стоят не по «возрастанию».\n\n" +
        "```python title=sort.py\n" +
        "def bubble_sort(items):\n" +
        "    \"\"\"Сортирует список на месте и возвращает его.\"\"\"\n" +
        "    n = len(items)\n" +
        "    for i in range(n):\n" +
        "        for j in range(n - i - 1):\n" +
        "            if items[j] > items[j + 1]:  # следующий элемент меньше\n" +
        "                items[j], items[j + 1] = items[j + 1], items[j]\n" +
        "    return items\n" +
        "```\n\n" +
        "Сложность: O(n²) в худшем случае; это просто, но медленно для больших списков (n > 10 000). Удачи! 🚀";

    /// <summary>The answer in pieces of about a token (four characters), as a model streams it.</summary>
    public static SseScript FrenchScript() => Script(FrenchAnswer);

    public static SseScript Script(string answer) => new SseScript().Role().ContentInPieces(answer, 4).Finish().Usage(40, 120).Done();

    [Test]
    public async Task ChatStream_NonAsciiText_IsSentAsUtf8_NotEscaped()
    {
        await using var upstream = await OpenAITestServer.StartAsync(FrenchScript().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"Écris un tri à bulles\", \"stream\": true}"));

        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        string body = Encoding.UTF8.GetString(bytes);
        Report("chat.completion.chunk, French prose", bytes, body, FrenchAnswer);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.Should().BeEmpty("nothing is encoded: no Content-Encoding header at all");
        EventStream.Text(body).Should().Be(FrenchAnswer);
        AssertRelaxed(body);
    }

    [Test]
    public async Task ChatStream_RussianProse_IsSentAsUtf8_AndReportsItsSize()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script(RussianAnswer).Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"Напиши сортировку пузырьком\", \"stream\": true}"));

        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        string body = Encoding.UTF8.GetString(bytes);
        Report("chat.completion.chunk, Russian prose", bytes, body, RussianAnswer);
        EventStream.Text(body).Should().Be(RussianAnswer);
        body.Should().Contain("\"Вот \"").And.NotContain("\\u04");
    }

    [Test]
    public async Task ChatWhole_NonAsciiText_IsSentAsUtf8_NotEscaped()
    {
        await using var upstream = await OpenAITestServer.StartAsync(FrenchScript().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"Écris un tri à bulles\"}"));

        string body = await response.Content.ReadAsStringAsync();
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be(FrenchAnswer);
        AssertRelaxed(body);
        body.Should().Contain("implémentation du tri à bulles").And.Contain("l'élément suivant est plus petit").And.Contain("liste[j + 1]");
    }

    [Test]
    public async Task ErrorBody_NonAsciiParameterName_IsSentAsUtf8()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"x\", \"prompt\": \"é\"}"));

        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("'prompt' is given more than once").And.NotContain("\\u0027");
    }

    /// <summary>
    /// Every character of the Basic Multilingual Plane is itself, in a whole body and in a stream's small pieces alike;
    /// an emoji is a surrogate-pair escape.
    /// </summary>
    internal static void AssertRelaxed(string body)
    {
        foreach (string character in (string[])["é", "à", "—", "«", "»", "²", "'", ">", "+", "`"])
        {
            body.Should().Contain(character);
        }

        body.Should().NotContain("\\u00E9").And.NotContain("\\u00e9").And.NotContain("\\u0027").And.NotContain("\\u003E").And.NotContain("\\u002B").And.NotContain("\\u0060");
        body.Should().Contain("\\uD83D\\uDE80", "characters outside the Basic Multilingual Plane are still escaped, which is fine");
    }

    /// <summary>
    /// Prints the stream's size, and what the same events would take with System.Text.Json's default encoder (every
    /// character outside ASCII, and <c>' + &lt; &gt; ` &amp;</c>, as <c>\uXXXX</c>), as the service wrote them before.
    /// </summary>
    internal static void Report(string what, byte[] bytes, string body, string answer)
    {
        IReadOnlyList<(string? Name, string Data)> events = EventStream.Parse(body);
        long escaped = 0;
        foreach ((string? name, string data) in events)
        {
            escaped += (name is null ? 0 : Encoding.UTF8.GetByteCount("event: " + name + "\n")) + "data: \n\n"u8.Length;
            if (data == "[DONE]")
            {
                escaped += data.Length;
                continue;
            }

            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                System.Text.Json.JsonDocument.Parse(data).WriteTo(writer);
            }

            escaped += buffer.WrittenCount;
        }

        TestContext.Out.WriteLine(
            $"{what}: {bytes.Length} bytes in {events.Count} events, {bytes.Length / (double)events.Count:0.0} bytes per event " +
            $"(default encoder: {escaped} bytes, {escaped / (double)events.Count:0.0} per event); " +
            $"the answer is {answer.Length} characters, {Encoding.UTF8.GetByteCount(answer)} bytes of UTF-8");
    }
}
