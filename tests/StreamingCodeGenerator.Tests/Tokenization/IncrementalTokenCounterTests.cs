namespace StreamingCodeGeneration.Tests.Tokenization;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IncrementalTokenCounterTests
{
    private static readonly TokenizerEncoding[] s_encodings = [TokenizerEncoding.O200kBase, TokenizerEncoding.Cl100kBase];

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.Ordinary))]
    public void Append_RandomChunks_CountEqualsCountOfPrefixAfterEveryAppend(TiktokenCase testCase)
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            for (int seed = 0; seed < 12; seed++)
            {
                var random = new Random(seed);
                int maxChunk = seed switch { 0 => 1, 1 => 2, 2 => 3, _ => 1 + random.Next(40) };
                AssertExactAtEveryStep(tokenizer, testCase.Text, random, maxChunk);
            }

            new IncrementalTokenCounterTests().FinalCount(tokenizer, testCase.Text).Should().Be(testCase.Expected(encoding).Length);
        }
    }

    [Test]
    public void Append_RandomStrings_OneCharAtATime_MatchesCountTokens([Values(11, 12, 13, 14)] int seed)
    {
        var random = new Random(seed);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            for (int i = 0; i < 100; i++)
            {
                string text = TokenizerTests.RandomText(random, random.Next(1, 60));
                AssertExactAtEveryStep(tokenizer, text, random, maxChunk: 1);
                AssertExactAtEveryStep(tokenizer, text, random, maxChunk: 5);
            }
        }
    }

    // Each case is a list of chunks whose boundaries sit where a piece looks final but is not.
    [TestCase("it", "'", "s fine")]
    [TestCase("IT'", "LL", " BE")]
    [TestCase("we'r", "e")]
    [TestCase("ʰX", "a")]
    [TestCase("ʰXʰX", "a b")]
    [TestCase("Hello", " ", " ", "world")]
    [TestCase("a  ", "\n", "b")]
    [TestCase("x \r", "\n", "y")]
    [TestCase("12", "3", "45", "6789")]
    [TestCase("}", "\n", "/", "/ comment")]
    [TestCase(" ", "!", "!", "x")]
    [TestCase("e", "́", "́")]
    [TestCase("́", "x")]
    [TestCase("a\uD835", "\uDC00", "b")]
    [TestCase("\uD835", "\uDFCF", "\uD835", "\uDFD0")]
    public void Append_ChunkBoundaryAtUnstablePoint_CountMatchesCountTokens(params string[] chunks)
    {
        string[] unescaped = chunks.Select(c => System.Text.RegularExpressions.Regex.Unescape(c)).ToArray();
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            var counter = new IncrementalTokenCounter(tokenizer);
            string text = string.Empty;
            foreach (string chunk in unescaped)
            {
                counter.Append(chunk);
                text += chunk;
                counter.Count.Should().Be(tokenizer.CountTokens(text), "{0} after appending {1}", encoding, Escape(chunk));
            }
        }
    }

    [Test]
    public void Append_SurrogatePairSplitAcrossChunks_CountsThePairOnceComplete()
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            var counter = new IncrementalTokenCounter(tokenizer);

            counter.Append("Hi \uD83D");
            counter.Count.Should().Be(tokenizer.CountTokens("Hi \uD83D"), "a lone high surrogate counts as U+FFFD for now");
            counter.Append("\uDE00 there");
            counter.Count.Should().Be(tokenizer.CountTokens("Hi 😀 there"));
        }
    }

    [Test]
    public void Append_LongProseStream_KeepsOnlyASmallPendingTail()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);
        var counter = new IncrementalTokenCounter(tokenizer);
        string text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 2000));

        int maxPending = 0;
        for (int i = 0; i < text.Length; i += 7)
        {
            counter.Append(text.AsSpan(i, Math.Min(7, text.Length - i)));
            maxPending = Math.Max(maxPending, counter.PendingLength);
        }

        counter.Count.Should().Be(tokenizer.CountTokens(text));
        counter.Length.Should().Be(text.Length);
        maxPending.Should().BeLessThan(20);
    }

    [TestCaseSource(nameof(LongRunKinds))]
    public void Append_LongRunWithoutBreak_CountEqualsCountOfPrefixAfterEveryChunk(string kind)
    {
        string text = LongRun(kind, 1_500, seed: 7);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            var random = new Random(kind.Length);
            AssertExactAtEveryStep(tokenizer, text, random, maxChunk: 1);
            AssertExactAtEveryStep(tokenizer, text, random, maxChunk: 8);
            AssertExactAtEveryStep(tokenizer, text, random, maxChunk: 64);
        }
    }

    [TestCaseSource(nameof(LongRunKinds))]
    public void Append_HundredThousandCharsAtOnceOrInSmallChunks_CountEqualsCountTokens(string kind)
    {
        string text = LongRun(kind, 100_000, seed: 11);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            int expected = tokenizer.CountTokens(text);

            var whole = new IncrementalTokenCounter(tokenizer);
            whole.Append(text);
            whole.Count.Should().Be(expected, "{0}: one append of the whole run", encoding);

            var random = new Random(3);
            var chunked = new IncrementalTokenCounter(tokenizer);
            int position = 0;
            for (int append = 0; position < text.Length; append++)
            {
                int length = Math.Min(text.Length - position, 1 + random.Next(8));
                chunked.Append(text.AsSpan(position, length));
                position += length;
                if (append % 2_500 == 0)
                {
                    chunked.Count.Should().Be(tokenizer.CountTokens(text.AsSpan(0, position)), "{0} after {1} chars", encoding, position);
                }
            }

            chunked.Count.Should().Be(expected, "{0}: the whole run in chunks of 1 to 8 chars", encoding);
        }
    }

    [TestCaseSource(nameof(LongRunKinds))]
    public void Append_LongRunOneCharAtATime_ExaminesEachCharABoundedNumberOfTimes(string kind)
    {
        // Re-tokenizing the undecided piece on every append would examine length² / 2 chars (200 million here).
        string text = LongRun(kind, 20_000, seed: 5);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            var counter = new IncrementalTokenCounter(tokenizer);
            foreach (char c in text)
            {
                counter.Append([c]);
            }

            counter.Count.Should().Be(tokenizer.CountTokens(text));
            counter.CharsExamined.Should().BeLessThan(40L * text.Length, "{0}: linear work", encoding);
        }
    }

    [Test]
    public void Append_RandomStringsWithLongRuns_MatchesCountTokens([Values(21, 22, 23)] int seed)
    {
        var random = new Random(seed);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            for (int i = 0; i < 40; i++)
            {
                // Two characters repeated at random, with an occasional third: long pieces of every shape.
                string text = TokenizerTests.RandomRunText(random, random.Next(40, 400));
                AssertExactAtEveryStep(tokenizer, text, random, maxChunk: 1 + random.Next(12));
            }
        }
    }

    public static IEnumerable<string> LongRunKinds() =>
    [
        "a", "=", "space", "newline", "spaces-and-newlines", "punctuation", "lowercase", "mixed-case", "upper-and-modifier",
        "cjk", "astral-letters", "combining-marks", "digits", "base64", "hex", "minified-js", "emoji-zwj",
    ];

    /// <summary>A run of <paramref name="length"/> chars of one kind, without a word break (except where the kind has them).</summary>
    internal static string LongRun(string kind, int length, int seed)
    {
        var random = new Random(seed);
        string Pick(string alphabet) => alphabet[random.Next(alphabet.Length)].ToString();
        Func<string> next = kind switch
        {
            "a" => () => "a",
            "=" => () => "=",
            "space" => () => " ",
            "newline" => () => "\n",
            "spaces-and-newlines" => () => Pick(" \n\t "),
            "punctuation" => () => Pick("=-*#~^+|<>/.!?"),
            "lowercase" => () => Pick("abcdefghijklmnopqrstuvwxyz"),
            "mixed-case" => () => Pick("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            "upper-and-modifier" => () => random.Next(3) == 0 ? "ʰ" : "X",
            "cjk" => () => ((char)(0x4E00 + random.Next(3000))).ToString(),
            "astral-letters" => () => random.Next(2) == 0 ? "𝐀" : "𝐚",
            "combining-marks" => () => random.Next(4) == 0 ? "e" : "\u0301",
            "digits" => () => Pick("0123456789"),
            "base64" => () => Pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            "hex" => () => Pick("0123456789abcdef"),
            "minified-js" => () => Pick("function(a,b){return a+b};var x=[1,2];if(x.length>1)x.push(3);"),
            "emoji-zwj" => () => "👨\u200D👩\u200D👧",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var builder = new System.Text.StringBuilder(length + 8);
        while (builder.Length < length)
        {
            builder.Append(next());
        }

        // Never end between the halves of a surrogate pair: the run must be whole text.
        int end = length;
        if (char.IsHighSurrogate(builder[end - 1]))
        {
            end--;
        }

        return builder.ToString(0, end);
    }

    [Test]
    public void Append_EmptyChunk_ChangesNothing()
    {
        var counter = new IncrementalTokenCounter(Tokenizer.Get(TokenizerEncoding.Cl100kBase));

        counter.Append("hello ");
        int before = counter.Count;
        counter.Append(ReadOnlySpan<char>.Empty);

        counter.Count.Should().Be(before);
    }

    [Test]
    public void Constructor_NullTokenizer_Throws()
    {
        FluentActions.Invoking(() => new IncrementalTokenCounter(null!)).Should().Throw<ArgumentNullException>();
    }

    private static void AssertExactAtEveryStep(Tokenizer tokenizer, string text, Random random, int maxChunk)
    {
        var counter = new IncrementalTokenCounter(tokenizer);
        int position = 0;
        while (position < text.Length)
        {
            int length = Math.Min(text.Length - position, 1 + random.Next(maxChunk));
            counter.Append(text.AsSpan(position, length));
            position += length;
            int expected = tokenizer.CountTokens(text.AsSpan(0, position));
            if (counter.Count != expected)
            {
                counter.Count.Should().Be(expected, "{0} after {1} of {2} chars; prefix ends {3}", tokenizer.Encoding, position, text.Length, Escape(text[..position]));
            }
        }
    }

    private static string Escape(string text)
    {
        string tail = text.Length > 60 ? text[^60..] : text;
        return string.Concat(tail.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    private int FinalCount(Tokenizer tokenizer, string text)
    {
        var counter = new IncrementalTokenCounter(tokenizer);
        counter.Append(text);
        return counter.Count;
    }
}
