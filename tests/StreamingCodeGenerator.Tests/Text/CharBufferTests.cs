namespace StreamingCodeGeneration.Tests.Text;

/// <summary>The growable run of characters the segmenter, the chunker and the token counter hold between deltas.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CharBufferTests
{
    [Test]
    public void Default_IsEmpty()
    {
        CharBuffer buffer = default;

        buffer.Length.Should().Be(0);
        buffer.Span.IsEmpty.Should().BeTrue();
        buffer.Take().Should().BeEmpty();
        buffer.TakeWith("x").Should().Be("x");
    }

    [Test]
    public void Append_ManyPieces_KeepsEveryCharacterInOrderAcrossGrowth()
    {
        CharBuffer buffer = default;
        var expected = new System.Text.StringBuilder();

        for (int i = 0; i < 500; i++)
        {
            string piece = i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",";
            buffer.Append(piece);
            expected.Append(piece);
            buffer.Length.Should().Be(expected.Length);
            buffer.Last.Should().Be(',');
        }

        buffer.Span.ToString().Should().Be(expected.ToString());
    }

    [Test]
    public void Append_Empty_ChangesNothing()
    {
        CharBuffer buffer = default;

        buffer.Append(ReadOnlySpan<char>.Empty);
        buffer.Append("ab");
        buffer.Append(string.Empty);

        buffer.Span.ToString().Should().Be("ab");
    }

    [Test]
    public void Append_OnePieceLargerThanDoubleTheCapacity_Fits()
    {
        CharBuffer buffer = default;
        buffer.Append("abc");

        buffer.Append(new string('x', 10_000));

        buffer.Length.Should().Be(10_003);
        buffer.Span[..4].ToString().Should().Be("abcx");
    }

    [TestCase(0, "abcdef")]
    [TestCase(-1, "abcdef")]
    [TestCase(2, "cdef")]
    [TestCase(6, "")]
    public void RemoveStart_KeepsTheRest(int count, string expected)
    {
        CharBuffer buffer = default;
        buffer.Append("abcdef");

        buffer.RemoveStart(count);

        buffer.Span.ToString().Should().Be(expected);
        buffer.Length.Should().Be(expected.Length);
    }

    [Test]
    public void RemoveStart_ThenAppend_ContinuesAfterTheRest()
    {
        CharBuffer buffer = default;
        buffer.Append(new string('a', 100));
        buffer.Append("tail");

        buffer.RemoveStart(100);
        buffer.Append("+more");

        buffer.Span.ToString().Should().Be("tail+more");
        buffer.Last.Should().Be('e');
    }

    [Test]
    public void Clear_EmptiesAndTheBufferIsReusable()
    {
        CharBuffer buffer = default;
        buffer.Append("abc");

        buffer.Clear();
        buffer.Length.Should().Be(0);
        buffer.Append("xy");

        buffer.Span.ToString().Should().Be("xy");
    }

    [Test]
    public void Take_ReturnsTheTextAndEmpties()
    {
        CharBuffer buffer = default;
        buffer.Append("abc");

        buffer.Take().Should().Be("abc");
        buffer.Length.Should().Be(0);
        buffer.Append("d");
        buffer.Take().Should().Be("d");
    }

    [Test]
    public void TakeWith_ReturnsTheTextThenMoreAndEmpties()
    {
        CharBuffer buffer = default;
        buffer.Append("ab");

        buffer.TakeWith("cd").Should().Be("abcd");
        buffer.Length.Should().Be(0);
        buffer.TakeWith(ReadOnlySpan<char>.Empty).Should().BeEmpty();
    }

    [Test]
    public void Copy_OfTheStruct_SharesTheArrayButNotTheLength()
    {
        CharBuffer original = default;
        original.Append("abc");
        CharBuffer copy = original;

        copy.Append("d");
        original.Clear();

        copy.Span.ToString().Should().Be("abcd", "a copy keeps its own length; the library keeps each buffer in one field and never copies it");
        original.Length.Should().Be(0);
    }
}
