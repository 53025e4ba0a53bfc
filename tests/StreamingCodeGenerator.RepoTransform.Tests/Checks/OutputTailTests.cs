using System.Text;

namespace StreamingCodeGeneration.RepoTransform.Tests.Checks;

[Parallelizable(ParallelScope.All)]
public sealed class OutputTailTests
{
    [Test]
    public void Append_PastTheCapacity_KeepsTheLastBytesInOrderAndCountsAll()
    {
        var tail = new OutputTail(10);

        tail.Append("0123456"u8);
        tail.Append("789AB"u8);
        tail.Append("CD"u8);

        tail.GetText().Should().Be("456789ABCD");
        tail.TotalBytes.Should().Be(14);
    }

    [Test]
    public void Append_OneChunkLargerThanTheCapacity_KeepsItsEnd()
    {
        var tail = new OutputTail(4);
        tail.Append("ab"u8);

        tail.Append("0123456789"u8);
        tail.Append("X"u8);

        tail.GetText().Should().Be("789X");
        tail.TotalBytes.Should().Be(13);
    }

    [Test]
    public void GetText_BelowTheCapacity_IsEverything()
    {
        var tail = new OutputTail(64);

        tail.Append(Encoding.UTF8.GetBytes("héllo\n"));

        tail.GetText().Should().Be("héllo\n");
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    public void Append_AnyPieceSize_KeepsTheSameEnd(int pieceLength)
    {
        byte[] all = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => (char)('a' + (i % 26)))));
        var tail = new OutputTail(33);

        for (int i = 0; i < all.Length; i += pieceLength)
        {
            tail.Append(all.AsSpan(i, Math.Min(pieceLength, all.Length - i)));
        }

        tail.GetText().Should().Be(Encoding.ASCII.GetString(all[^33..]));
    }
}
