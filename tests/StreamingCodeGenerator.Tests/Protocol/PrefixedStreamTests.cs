using System.Text;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>The sniffed prefix of a body, then the rest of it, whatever the read size.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PrefixedStreamTests
{
    [Test]
    public async Task Read_AnyBufferSize_YieldsThePrefixThenTheInnerBytes(
        [Values(1, 2, 3, 5, 1024)] int bufferSize,
        [Values(1, 4, 1024)] int innerMaxRead,
        [Values] bool async)
    {
        byte[] prefix = "data: {\"a\""u8.ToArray();
        byte[] rest = Encoding.UTF8.GetBytes(":1}\n\n" + new string('x', 300));
        using var stream = new PrefixedStream(prefix, new OneByteStream(rest, innerMaxRead) { YieldOnAsyncRead = async });

        byte[] all = await ReadToEndAsync(stream, bufferSize, async);

        all.Should().Equal([.. prefix, .. rest]);
    }

    [Test]
    public void Read_LargeBuffer_StopsAtTheEndOfThePrefix()
    {
        using var stream = new PrefixedStream("abc"u8.ToArray(), new MemoryStream("defgh"u8.ToArray()));
        byte[] buffer = new byte[100];

        stream.Read(buffer, 0, 100).Should().Be(3);
        Encoding.ASCII.GetString(buffer, 0, 3).Should().Be("abc");
        stream.Read(buffer.AsSpan()).Should().Be(5);
        Encoding.ASCII.GetString(buffer, 0, 5).Should().Be("defgh");
        stream.Read(buffer, 0, 100).Should().Be(0);
    }

    [Test]
    public void Read_BufferOfTwo_CutsAcrossTheBoundaryWithoutMixing()
    {
        using var stream = new PrefixedStream("abc"u8.ToArray(), new MemoryStream("defgh"u8.ToArray()));
        byte[] buffer = new byte[2];
        var reads = new List<string>();

        int read;
        while ((read = stream.Read(buffer, 0, 2)) > 0)
        {
            reads.Add(Encoding.ASCII.GetString(buffer, 0, read));
        }

        reads.Should().Equal("ab", "c", "de", "fg", "h");
    }

    [Test]
    public async Task ReadAsync_EmptyPrefix_ReadsTheInnerStream()
    {
        await using var stream = new PrefixedStream([], new MemoryStream("xyz"u8.ToArray()));

        (await ReadToEndAsync(stream, 16, async: true)).Should().Equal("xyz"u8.ToArray());
    }

    [Test]
    public async Task ReadAsync_EmptyInnerStream_EndsAfterThePrefix()
    {
        await using var stream = new PrefixedStream("data: x\n\n"u8.ToArray(), new MemoryStream());

        (await ReadToEndAsync(stream, 4, async: true)).Should().Equal("data: x\n\n"u8.ToArray());
    }

    [Test]
    public async Task ReadAsync_CancelledToken_IsPassedToTheInnerStream()
    {
        await using var stream = new PrefixedStream("ab"u8.ToArray(), new OneByteStream("cd"u8.ToArray()));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        byte[] buffer = new byte[8];

        (await stream.ReadAsync(buffer.AsMemory(), cancelled.Token)).Should().Be(2, "the prefix is already in memory");
        Func<Task<int>> rest = async () => await stream.ReadAsync(buffer.AsMemory(), cancelled.Token);
        await rest.Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public void Stream_IsReadOnlyAndForwardOnly_AndDisposesItsInnerStream()
    {
        var inner = new MemoryStream(new byte[4]);
        var stream = new PrefixedStream([1], inner);

        stream.CanRead.Should().BeTrue();
        stream.CanSeek.Should().BeFalse();
        stream.CanWrite.Should().BeFalse();
        ((Func<long>)(() => stream.Length)).Should().Throw<NotSupportedException>();
        ((Action)(() => stream.Position = 0)).Should().Throw<NotSupportedException>();
        ((Action)(() => stream.Write([1], 0, 1))).Should().Throw<NotSupportedException>();

        stream.Dispose();

        inner.CanRead.Should().BeFalse();
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream, int bufferSize, bool async)
    {
        var all = new List<byte>();
        byte[] buffer = new byte[bufferSize];
        while (true)
        {
            int read = async ? await stream.ReadAsync(buffer.AsMemory()) : stream.Read(buffer, 0, bufferSize);
            if (read == 0)
            {
                return [.. all];
            }

            all.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }
}
