using System.Buffers;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>Reading JSON strings that a server may have written badly, without throwing.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class JsonStringsTests
{
    [TestCase("\"hello\"", "hello", TestName = "Read_PlainString_IsItsText")]
    [TestCase("\"\"", "", TestName = "Read_EmptyString_IsEmpty")]
    [TestCase("\"a\\nb\\t\\r\\b\\f\\\"\\\\\\/\"", "a\nb\t\r\b\f\"\\/", TestName = "Read_ShortEscapes_AreUnescaped")]
    [TestCase("\"caf\\u00e9 \\ud83d\\ude00\"", "café \U0001F600", TestName = "Read_UnicodeEscapesAndPairs_AreUnescaped")]
    [TestCase("\"\\uD83D\\uDE00\"", "\U0001F600", TestName = "Read_UppercaseHexPair_IsUnescaped")]
    [TestCase("\"já 😀\"", "já 😀", TestName = "Read_RawUtf8_IsDecoded")]
    public void Read_WellFormed(string json, string expected)
    {
        (string text, bool wellFormed) = ReadString(Encoding.UTF8.GetBytes(json));

        text.Should().Be(expected);
        wellFormed.Should().BeTrue();
    }

    [Test]
    public void Read_InvalidUtf8_BecomesReplacementAndIsWellFormed()
    {
        (string text, bool wellFormed) = ReadString([(byte)'"', (byte)'a', 0xFF, (byte)'b', 0xC3, (byte)'"']);

        text.Should().Be("a\uFFFDb\uFFFD");
        wellFormed.Should().BeTrue("U+FFFD is a character, not a lone surrogate");
    }

    [Test]
    public void Read_InvalidUtf8NextToEscapes_IsDecodedAroundThem()
    {
        (string text, bool wellFormed) = ReadString([(byte)'"', (byte)'\\', (byte)'n', 0xE2, 0x82, (byte)'\\', (byte)'t', (byte)'x', (byte)'"']);

        text.Should().Be("\n\uFFFD\tx");
        wellFormed.Should().BeTrue();
    }

    // Attribute strings are stored as UTF-8, which cannot hold a lone surrogate: expected texts are written escaped.
    [TestCase("\"a\\ud83d\"", @"a\uD83D", TestName = "Read_LoneHighSurrogateEscape_IsKeptAndIllFormed")]
    [TestCase("\"\\uDE00b\"", @"\uDE00b", TestName = "Read_LoneLowSurrogateEscape_IsKeptAndIllFormed")]
    [TestCase("\"\\ud83d\\n\\ude00\"", @"\uD83D\n\uDE00", TestName = "Read_PairSplitByAnotherEscape_IsKeptAndIllFormed")]
    [TestCase("\"\\ude00\\ud83d\"", @"\uDE00\uD83D", TestName = "Read_HalvesInTheWrongOrder_AreKeptAndIllFormed")]
    public void Read_LoneSurrogates(string json, string expected)
    {
        (string text, bool wellFormed) = ReadString(Encoding.UTF8.GetBytes(json));

        text.Should().Be(System.Text.RegularExpressions.Regex.Unescape(expected));
        wellFormed.Should().BeFalse();
    }

    [Test]
    public void Read_LoneSurrogateAndInvalidUtf8Together_KeepsBoth()
    {
        (string text, bool wellFormed) = ReadString([.. "\"\\ud83d"u8, 0xFF, (byte)'"']);

        text.Should().Be("\uD83D\uFFFD");
        wellFormed.Should().BeFalse();
    }

    [TestCase("\"a\\ud83d\"", "a\uFFFD")]
    [TestCase("\"\\ude00\\ud83d\"", "\uFFFD\uFFFD")]
    [TestCase("\"ok \\ud83d\\ude00\"", "ok \U0001F600")]
    public void Read_WithoutFlag_ReplacesLoneSurrogates(string json, string expected)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();

        JsonStrings.Read(ref reader).Should().Be(expected);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Read_ValueSpreadOverSegments_SameAsContiguous(int segmentLength)
    {
        byte[] json = [.. "\"x\\ud83d\\n"u8, 0xFF, .. "\u00e9\""u8];

        (string contiguous, bool contiguousWellFormed) = ReadString(json);
        (string segmented, bool segmentedWellFormed) = ReadString(Segments(json, segmentLength));

        segmented.Should().Be(contiguous).And.Be("x\uD83D\n\uFFFD\u00e9");
        segmentedWellFormed.Should().Be(contiguousWellFormed).And.BeFalse();
    }

    private static (string Text, bool WellFormed) ReadString(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read().Should().BeTrue();
        reader.TokenType.Should().Be(JsonTokenType.String);
        string text = JsonStrings.Read(ref reader, out bool wellFormed);
        return (text, wellFormed);
    }

    private static (string Text, bool WellFormed) ReadString(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read().Should().BeTrue();
        reader.HasValueSequence.Should().BeTrue();
        string text = JsonStrings.Read(ref reader, out bool wellFormed);
        return (text, wellFormed);
    }

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int length)
    {
        var first = new Segment(bytes.AsMemory(0, length), 0);
        Segment last = first;
        for (int start = length; start < bytes.Length; start += length)
        {
            last = last.Append(bytes.AsMemory(start, Math.Min(length, bytes.Length - start)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
