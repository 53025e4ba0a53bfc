using System.Net.ServerSentEvents;
using System.Text;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>
/// The bound on one server-sent event: it counts the bytes read since the parser last dispatched an event and fails
/// once the bytes before the latest read exceed the limit, whatever the read size and line ending.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class BoundedEventStreamTests
{
    private static readonly string[] LineEndings = ["\n", "\r\n", "\r"];

    [Test]
    public async Task Read_EventsOfExactlyTheLimit_AllPassWhateverTheReadSize(
        [Values(1, 7, int.MaxValue)] int maxRead,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool async)
    {
        const int Limit = 200;
        byte[] body = Repeat(Event(Limit, newline), 50);

        Run run = await RunAsync(body, Limit, maxRead, async);

        run.Error.Should().BeNull();
        run.DataLengths.Should().HaveCount(50).And.OnlyContain(length => length == Limit - 6 - (2 * newline.Length));
    }

    [Test]
    public async Task Read_OversizedFirstEventWithOneByteReads_FailsOnTheReadAfterTheLimitWasPassed(
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool async)
    {
        const int Limit = 100;
        byte[] body = Event(1000, newline);

        Run run = await RunAsync(body, Limit, maxRead: 1, async);

        run.Error.Should().BeOfType<SseProtocolException>().Which.Message.Should().Contain("MaxEventSize").And.Contain("100 bytes");
        run.BytesRead.Should().Be(Limit + 2, "byte 101 passes the limit, and the read of byte 102 sees 101 bytes before it");
        run.DataLengths.Should().BeEmpty();
    }

    [Test]
    public async Task Read_OversizedEventAfterSmallOnes_FailsWithinOneReadOfPassingTheLimit(
        [Values(1, 16)] int maxRead,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool async)
    {
        const int Limit = 100;
        byte[] small = Repeat(Event(40, newline), 10);
        byte[] body = [.. small, .. Event(2000, newline), .. Event(40, newline)];

        Run run = await RunAsync(body, Limit, maxRead, async);

        run.Error.Should().BeOfType<SseProtocolException>().Which.Message.Should().Contain("MaxEventSize");
        run.DataLengths.Should().HaveCount(10);
        int readOfTheBigEvent = run.BytesRead - small.Length;
        readOfTheBigEvent.Should().BeGreaterThan(Limit)
            .And.BeLessThanOrEqualTo(Limit + (3 * maxRead), "at most one read is uncounted (it also ended the event before), one passes the limit and the next fails");
    }

    [Test]
    public async Task Read_EndlessDataLinesWithoutABlankLine_Fail(
        [Values(1, 64, int.MaxValue)] int maxRead,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool async)
    {
        const int Limit = 1000;
        byte[] body = Repeat(Encoding.UTF8.GetBytes("data: " + new string('x', 40) + newline), 2500);

        Run run = await RunAsync(body, Limit, maxRead, async);

        run.Error.Should().BeOfType<SseProtocolException>().Which.Message.Should().Contain("MaxEventSize");
        run.BytesRead.Should().BeLessThan(body.Length);
        if (maxRead != int.MaxValue)
        {
            run.BytesRead.Should().BeLessThanOrEqualTo(Limit + (2 * maxRead));
        }
    }

    [Test]
    public async Task Read_EndlessCommentsWithoutAnEvent_CountAsOneEventAndFail([Values(1, 64)] int maxRead)
    {
        const int Limit = 1000;
        byte[] body = Repeat(": keep-alive\n"u8.ToArray(), 1000);

        Run run = await RunAsync(body, Limit, maxRead, async: true);

        run.Error.Should().BeOfType<SseProtocolException>().Which.Message.Should().Contain("MaxEventSize");
        run.BytesRead.Should().BeLessThanOrEqualTo(Limit + (2 * maxRead));
    }

    [Test]
    public async Task Read_LongStreamOfSmallEvents_NeverFailsEvenWhenOneReadHoldsManyTimesTheLimit(
        [Values(1, 7, int.MaxValue)] int maxRead,
        [ValueSource(nameof(LineEndings))] string newline,
        [Values] bool async)
    {
        const int Limit = 64;
        byte[] body = Repeat(Event(30, newline), 10_000);

        Run run = await RunAsync(body, Limit, maxRead, async);

        run.Error.Should().BeNull();
        run.DataLengths.Should().HaveCount(10_000);
        run.BytesRead.Should().Be(body.Length);
        if (maxRead == int.MaxValue)
        {
            run.Reads.Should().BeLessThan(body.Length / Limit, "reads were large: each held several events, more bytes than the limit");
        }
    }

    [Test]
    public void Read_BytesBeforeTheLatestReadOverTheLimit_Throws()
    {
        using var bounded = new BoundedEventStream(new MemoryStream(new byte[1000]), 100);
        byte[] buffer = new byte[60];

        bounded.Read(buffer, 0, 60).Should().Be(60);
        bounded.Read(buffer.AsSpan()).Should().Be(60, "only 60 bytes came before this read");
        Func<int> third = () => bounded.Read(buffer, 0, 60);

        third.Should().Throw<SseProtocolException>().WithMessage("*100 bytes*MaxEventSize*");
    }

    [Test]
    public async Task ReadAsync_BytesBeforeTheLatestReadOverTheLimit_Throws()
    {
        await using var bounded = new BoundedEventStream(new OneByteStream(new byte[1000], 60) { YieldOnAsyncRead = true }, 100);
        byte[] buffer = new byte[60];

        (await bounded.ReadAsync(buffer.AsMemory())).Should().Be(60);
        (await bounded.ReadAsync(buffer, 0, 60)).Should().Be(60);
        Func<Task<int>> third = async () => await bounded.ReadAsync(buffer.AsMemory());

        await third.Should().ThrowAsync<SseProtocolException>().WithMessage("*MaxEventSize*");
    }

    [Test]
    public void EventDispatched_ResetsTheCount()
    {
        using var bounded = new BoundedEventStream(new MemoryStream(new byte[1000]), 100);
        byte[] buffer = new byte[60];

        for (int i = 0; i < 8; i++)
        {
            bounded.Read(buffer, 0, 60).Should().Be(60);
            bounded.Read(buffer, 0, 60).Should().Be(60);
            bounded.EventDispatched();
        }

        bounded.Read(buffer, 0, 60).Should().Be(40, "the stream ends after 1000 bytes");
    }

    [Test]
    public void Read_OneReadLargerThanTheLimit_PassesUntilTheNextRead()
    {
        using var bounded = new BoundedEventStream(new MemoryStream(new byte[1000]), 100);
        byte[] buffer = new byte[500];

        bounded.Read(buffer, 0, 500).Should().Be(500, "the bytes of one read may finish this event and start the next");
        Func<int> next = () => bounded.Read(buffer, 0, 1);

        next.Should().Throw<SseProtocolException>();
    }

    [Test]
    public async Task Read_ParserReadsAKilobyteAtATime_OneReadOfTheBodyServesThemAll([Values] bool async)
    {
        byte[] body = Repeat(Event(50, "\n"), 200);

        Run run = await RunAsync(body, limit: 100, maxRead: int.MaxValue, async);

        run.DataLengths.Should().HaveCount(200);
        run.Reads.Should().Be(1, "one read of up to 16 KiB returns the whole 10,000-byte body (a parser reading a kilobyte at a time would need ten)");
    }

    [Test]
    public async Task ReadAsync_BodyReturnsFewBytes_ReturnsThemWithoutWaitingForMore()
    {
        var inner = new OneByteStream(Encoding.UTF8.GetBytes("data: 1\n\ndata: 2\n\n"), 10) { YieldOnAsyncRead = true };
        await using var bounded = new BoundedEventStream(inner, 100);
        byte[] buffer = new byte[1024];

        int first = await bounded.ReadAsync(buffer.AsMemory());
        int second = await bounded.ReadAsync(buffer.AsMemory(first));

        (first, second).Should().Be((10, 8));
        Encoding.UTF8.GetString(buffer, 0, 18).Should().Be("data: 1\n\ndata: 2\n\n");
        inner.Reads.Should().Be(2);
    }

    [Test]
    public async Task ReadAsync_NoBytesYet_WaitsWithAZeroByteReadAndRentsTheBufferOnlyOnceBytesArrive()
    {
        var inner = new HandFedStream();
        await using var bounded = new BoundedEventStream(inner, 1000);
        byte[] buffer = new byte[1024];

        ValueTask<int> first = bounded.ReadAsync(buffer.AsMemory());
        inner.PendingReadLength.Should().Be(0, "a slow stream waits for its next chunk without holding a buffer");
        inner.Feed("data: 1\n\n"u8);
        int firstRead = await first;
        ValueTask<int> second = bounded.ReadAsync(buffer.AsMemory(firstRead));
        inner.PendingReadLength.Should().Be(0, "the buffer went back to the pool once the parser had every byte");
        inner.Feed("data: 2\n\n"u8);
        int secondRead = await second;

        Encoding.UTF8.GetString(buffer, 0, firstRead + secondRead).Should().Be("data: 1\n\ndata: 2\n\n");
        inner.ReadLengths.Should().Equal(0, BoundedEventStream.BufferSize, 0, BoundedEventStream.BufferSize);
    }

    // An event ending in a lone "\r" waits for the next byte (it may be "\r\n"), so it surfaces with the next event, not
    // on its own: the trickle tests above cover "\r"; here each event must come out before the next is fed.
    [Test]
    public async Task ReadAsync_ManySlowChunksThroughTheParser_TextExact([Values("\n", "\r\n")] string newline)
    {
        var inner = new HandFedStream();
        using var bounded = new BoundedEventStream(inner, 1000);
        SseParser<string> parser = SseParser.Create(bounded, (_, data) =>
        {
            bounded.EventDispatched();
            return Encoding.UTF8.GetString(data);
        });
        string[] texts = [.. Enumerable.Range(0, 50).Select(i => $"chunk {i} ü€😀")];
        await using IAsyncEnumerator<SseItem<string>> events = parser.EnumerateAsync().GetAsyncEnumerator();
        var received = new List<string>();

        foreach (string text in texts)
        {
            ValueTask<bool> next = events.MoveNextAsync();
            inner.PendingReadLength.Should().Be(0);
            inner.Feed(Encoding.UTF8.GetBytes("data: " + text + newline + newline));
            (await next).Should().BeTrue();
            received.Add(events.Current.Data);
        }

        received.Should().Equal(texts);
    }

    [Test]
    public void Stream_IsReadOnlyAndForwardOnly_AndDisposesItsInnerStream()
    {
        var inner = new MemoryStream(new byte[10]);
        var bounded = new BoundedEventStream(inner, 100);

        bounded.CanRead.Should().BeTrue();
        bounded.CanSeek.Should().BeFalse();
        bounded.CanWrite.Should().BeFalse();
        ((Func<long>)(() => bounded.Length)).Should().Throw<NotSupportedException>();
        ((Func<long>)(() => bounded.Position)).Should().Throw<NotSupportedException>();
        ((Action)(() => bounded.Seek(0, SeekOrigin.Begin))).Should().Throw<NotSupportedException>();
        ((Action)(() => bounded.Write(new byte[1], 0, 1))).Should().Throw<NotSupportedException>();

        bounded.Dispose();

        inner.CanRead.Should().BeFalse("disposing the bound disposes the body");
    }

    private static async Task<Run> RunAsync(byte[] body, int limit, int maxRead, bool async)
    {
        var inner = new OneByteStream(body, maxRead) { YieldOnAsyncRead = async };
        using var bounded = new BoundedEventStream(inner, limit);
        SseParser<int> parser = SseParser.Create(bounded, (_, data) =>
        {
            bounded.EventDispatched();
            return data.Length;
        });
        var lengths = new List<int>();
        try
        {
            if (async)
            {
                await foreach (SseItem<int> item in parser.EnumerateAsync())
                {
                    lengths.Add(item.Data);
                }
            }
            else
            {
                foreach (SseItem<int> item in parser.Enumerate())
                {
                    lengths.Add(item.Data);
                }
            }

            return new Run(lengths, null, inner.BytesRead, inner.Reads);
        }
        catch (SseProtocolException ex)
        {
            return new Run(lengths, ex, inner.BytesRead, inner.Reads);
        }
    }

    /// <summary>One event of exactly <paramref name="totalBytes"/> bytes: <c>data: xxx</c> and two line endings.</summary>
    private static byte[] Event(int totalBytes, string newline) =>
        Encoding.UTF8.GetBytes("data: " + new string('x', totalBytes - 6 - (2 * newline.Length)) + newline + newline);

    private static byte[] Repeat(byte[] bytes, int count)
    {
        byte[] all = new byte[bytes.Length * count];
        for (int i = 0; i < count; i++)
        {
            bytes.CopyTo(all, i * bytes.Length);
        }

        return all;
    }

    private sealed record Run(List<int> DataLengths, Exception? Error, int BytesRead, int Reads);

    /// <summary>
    /// A body whose bytes arrive when the test feeds them, as a slow model's: a read waits until then (a zero-byte read
    /// too, as HttpClient's response streams do), and every read's buffer length is recorded.
    /// </summary>
    private sealed class HandFedStream : Stream
    {
        private readonly Queue<byte[]> _fed = new();
        private TaskCompletionSource? _arrived;
        private byte[]? _partial;

        public List<int> ReadLengths { get; } = [];

        /// <summary>The buffer length of the read waiting for bytes, or null when none waits.</summary>
        public int? PendingReadLength { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            _fed.Enqueue(bytes.ToArray());
            TaskCompletionSource? arrived = _arrived;
            _arrived = null;
            arrived?.SetResult();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadLengths.Add(buffer.Length);
            if (_partial is null && _fed.Count == 0)
            {
                PendingReadLength = buffer.Length;
                _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await _arrived.Task.WaitAsync(cancellationToken);
                PendingReadLength = null;
            }

            if (buffer.IsEmpty)
            {
                return 0;
            }

            byte[] bytes = _partial ?? _fed.Dequeue();
            int count = Math.Min(buffer.Length, bytes.Length);
            bytes.AsSpan(0, count).CopyTo(buffer.Span);
            _partial = count < bytes.Length ? bytes[count..] : null;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous reads only");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
