using System.Text;

namespace StreamingCodeGeneration.Tests.Tokenization;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TokenizerTests
{
    private static readonly TokenizerEncoding[] s_encodings = [TokenizerEncoding.O200kBase, TokenizerEncoding.Cl100kBase];

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.Ordinary))]
    public void EncodeToIds_FixtureCase_MatchesTiktokenForBothEncodings(TiktokenCase testCase)
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            tokenizer.EncodeToIds(testCase.Text).Should().Equal(testCase.Expected(encoding), $"{encoding} ids of {testCase.Name}");
            tokenizer.EncodeToIds(testCase.Text.AsSpan()).Should().Equal(testCase.Expected(encoding), $"{encoding} span ids of {testCase.Name}");
        }
    }

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.Ordinary))]
    public void CountTokens_FixtureCase_MatchesTiktokenForBothEncodings(TiktokenCase testCase)
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            tokenizer.CountTokens(testCase.Text).Should().Be(testCase.Expected(encoding).Length, $"{encoding} count of {testCase.Name}");
            tokenizer.CountTokens(testCase.Text.AsSpan()).Should().Be(testCase.Expected(encoding).Length, $"{encoding} span count of {testCase.Name}");
        }
    }

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.Ordinary))]
    public void Decode_FixtureIds_ReturnsTextWithLoneSurrogatesReplaced(TiktokenCase testCase)
    {
        string expected = ReplaceLoneSurrogates(testCase.Text);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer.Get(encoding).Decode(testCase.Expected(encoding)).Should().Be(expected);
        }
    }

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.WithSpecialTokens))]
    public void EncodeToIds_SpecialTokensAllowed_MatchesTiktoken(TiktokenCase testCase)
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            tokenizer.EncodeToIds(testCase.Text, allowSpecialTokens: true).Should().Equal(testCase.Expected(encoding));
            tokenizer.CountTokens(testCase.Text, allowSpecialTokens: true).Should().Be(testCase.Expected(encoding).Length);
            tokenizer.Decode(testCase.Expected(encoding)).Should().Be(testCase.Text);
        }
    }

    [TestCase(TokenizerEncoding.O200kBase, 199999)]
    [TestCase(TokenizerEncoding.Cl100kBase, 100257)]
    public void EncodeToIds_SpecialTokenTextByDefault_IsOrdinaryText(TokenizerEncoding encoding, int endOfTextId)
    {
        Tokenizer tokenizer = Tokenizer.Get(encoding);

        IReadOnlyList<int> ordinary = tokenizer.EncodeToIds("a<|endoftext|>b");
        IReadOnlyList<int> allowed = tokenizer.EncodeToIds("a<|endoftext|>b", allowSpecialTokens: true);

        ordinary.Should().NotContain(endOfTextId).And.HaveCountGreaterThan(3);
        allowed.Should().Equal(tokenizer.EncodeToIds("a")[0], endOfTextId, tokenizer.EncodeToIds("b")[0]);
    }

    [Test]
    public void CountTokens_ManyRepeatedLetters_MergesLongPieceAndMatchesTiktoken()
    {
        // One pre-tokenizer piece of 100,000 bytes: exercises the heap-based merge. The expected counts come from
        // npm tiktoken 1.0.22 (encode_ordinary("a".repeat(100000)).length).
        string text = new('a', 100_000);

        Tokenizer.Get(TokenizerEncoding.O200kBase).CountTokens(text).Should().Be(12_500);
        Tokenizer.Get(TokenizerEncoding.Cl100kBase).CountTokens(text).Should().Be(12_500);
        Tokenizer.Get(TokenizerEncoding.O200kBase).Decode(Tokenizer.Get(TokenizerEncoding.O200kBase).EncodeToIds(text)).Should().Be(text);
    }

    [Test]
    public void EncodeDecode_RandomValidStrings_RoundTrip([Values(1, 2, 3, 4, 5, 6, 7, 8)] int seed)
    {
        var random = new Random(seed);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            for (int i = 0; i < 200; i++)
            {
                string text = RandomText(random, random.Next(0, 80));
                IReadOnlyList<int> ids = tokenizer.EncodeToIds(text);
                tokenizer.Decode(ids).Should().Be(text);
                tokenizer.CountTokens(text).Should().Be(ids.Count);
            }
        }
    }

    [Test]
    public void EncodeToIds_LoneSurrogate_EncodesAsReplacementCharacter()
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            tokenizer.EncodeToIds("x\uD83Dy \uDE00z\uD800").Should().Equal(tokenizer.EncodeToIds("x\uFFFDy \uFFFDz\uFFFD"));
        }
    }

    [Test]
    public void GetIndexByTokenCount_BudgetCoversWholeText_ReturnsLengthAndCount()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);
        const string Text = "Hello, world! This is a test.";

        int index = tokenizer.GetIndexByTokenCount(Text, 1000, out int tokenCount);

        index.Should().Be(Text.Length);
        tokenCount.Should().Be(tokenizer.CountTokens(Text));
    }

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.Ordinary))]
    public void GetIndexByTokenCount_EveryBudget_StopsAtTokenBoundaryOfWholeEncoding(TiktokenCase testCase)
    {
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            int[] ids = testCase.Expected(encoding);
            int step = Math.Max(1, ids.Length / 25);
            for (int budget = 0; budget <= ids.Length; budget += step)
            {
                int index = tokenizer.GetIndexByTokenCount(testCase.Text, budget, out int tokenCount);

                tokenCount.Should().BeLessThanOrEqualTo(budget);
                index.Should().BeInRange(0, testCase.Text.Length);
                if (index > 0 && index < testCase.Text.Length)
                {
                    char.IsSurrogatePair(testCase.Text[index - 1], testCase.Text[index]).Should().BeFalse("the index never splits a surrogate pair");
                }

                // The prefix is exactly the decoded text of the first tokenCount tokens.
                tokenizer.Decode(ids.Take(tokenCount)).Should().Be(ReplaceLoneSurrogates(testCase.Text[..index]));
            }
        }
    }

    [Test]
    public void GetIndexByTokenCount_NegativeBudget_Throws()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);

        Action act = () => tokenizer.GetIndexByTokenCount("text", -1, out _);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxTokenCount");
    }

    [Test]
    public void GetIndexByTokenCount_LongPiece_StopsInsidePiece()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.Cl100kBase);
        string text = new('a', 10_000);

        int index = tokenizer.GetIndexByTokenCount(text, 10, out int tokenCount);

        tokenCount.Should().Be(10);
        tokenizer.CountTokens(text.AsSpan(0, index)).Should().Be(10);
    }

    [Test]
    public void Decode_UnknownId_ThrowsNamingTheId()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.Cl100kBase);

        Action act = () => tokenizer.Decode([1, 150_000]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ids").WithMessage("*150000*");
    }

    [Test]
    public void NullArguments_Throw()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);

        FluentActions.Invoking(() => tokenizer.CountTokens((string)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => tokenizer.EncodeToIds((string)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => tokenizer.Decode(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Tokenizer.ForModel(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Tokenizer.ForModel(" ")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Tokenizer.Get((TokenizerEncoding)42)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void Get_CalledConcurrently_ReturnsOneSharedInstancePerEncoding()
    {
        Tokenizer[] results = new Tokenizer[16];
        Parallel.For(0, results.Length, i => results[i] = Tokenizer.Get((TokenizerEncoding)(i % 2)));

        results.Where((_, i) => i % 2 == 0).Should().AllSatisfy(t => t.Should().BeSameAs(Tokenizer.Get(TokenizerEncoding.O200kBase)));
        results.Where((_, i) => i % 2 == 1).Should().AllSatisfy(t => t.Should().BeSameAs(Tokenizer.Get(TokenizerEncoding.Cl100kBase)));
        Tokenizer.Get(TokenizerEncoding.Cl100kBase).Encoding.Should().Be(TokenizerEncoding.Cl100kBase);
    }

    [Test]
    public void CountTokens_Warm_AllocatesNothing()
    {
        string text = string.Concat(TiktokenCase.All.Where(c => c.Name.StartsWith("corpus/", StringComparison.Ordinal)).Select(c => c.Text));
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            tokenizer.CountTokens(text); // per-thread scratch and merge cache are created on first use
            tokenizer.GetIndexByTokenCount(text, 100, out _);

            // The least of three runs: an allocation of the code under test shows in every run, while the runtime's own
            // occasional work on this thread (tiering up a method mid-call) shows in one at most.
            long allocated = long.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                int count = tokenizer.CountTokens(text.AsSpan());
                tokenizer.GetIndexByTokenCount(text.AsSpan(), count / 2, out _);
                allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            allocated.Should().Be(0, $"{encoding} counting must not allocate");
        }
    }

    [Test]
    public void CountTokens_ManyThreadsAtOnce_AllMatchTiktoken()
    {
        TiktokenCase[] cases = TiktokenCase.All.Where(c => !c.AllowSpecialTokens).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            TokenizerEncoding encoding = s_encodings[i % 2];
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            foreach (TiktokenCase testCase in cases)
            {
                if (tokenizer.CountTokens(testCase.Text) != testCase.Expected(encoding).Length
                    || !tokenizer.EncodeToIds(testCase.Text).SequenceEqual(testCase.Expected(encoding)))
                {
                    failures.Add($"{encoding} {testCase.Name}");
                }
            }
        });

        failures.Should().BeEmpty();
    }

    [TestCase("gpt-4o", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4o-mini", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4o-2024-08-06", TokenizerEncoding.O200kBase)]
    [TestCase("chatgpt-4o-latest", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4.1", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4.1-mini", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4.1-nano-2025-04-14", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4.5-preview", TokenizerEncoding.O200kBase)]
    [TestCase("o1", TokenizerEncoding.O200kBase)]
    [TestCase("o1-mini", TokenizerEncoding.O200kBase)]
    [TestCase("o3", TokenizerEncoding.O200kBase)]
    [TestCase("o3-mini-2025-01-31", TokenizerEncoding.O200kBase)]
    [TestCase("o4-mini", TokenizerEncoding.O200kBase)]
    [TestCase("o4-mini-2025-04-16", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-5", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-5-mini", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-5.1", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-5-chat-latest", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-oss-120b", TokenizerEncoding.O200kBase)]
    [TestCase("ft:gpt-4o-mini-2024-07-18:org::abc123", TokenizerEncoding.O200kBase)]
    [TestCase("gpt-4", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-4-0613", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-4-32k", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-4-turbo", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-4-turbo-2024-04-09", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-3.5-turbo", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-3.5-turbo-0125", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-3.5", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-35-turbo", TokenizerEncoding.Cl100kBase)]
    [TestCase("gpt-35-turbo-16k", TokenizerEncoding.Cl100kBase)]
    [TestCase("ft:gpt-4-0613:org::x", TokenizerEncoding.Cl100kBase)]
    [TestCase("ft:gpt-3.5-turbo-0125:org::x", TokenizerEncoding.Cl100kBase)]
    [TestCase("text-embedding-3-small", TokenizerEncoding.Cl100kBase)]
    [TestCase("text-embedding-3-large", TokenizerEncoding.Cl100kBase)]
    [TestCase("text-embedding-ada-002", TokenizerEncoding.Cl100kBase)]
    [TestCase("davinci-002", TokenizerEncoding.Cl100kBase)]
    public void TryGetEncodingForModel_KnownModel_ReturnsTiktokenEncoding(string model, TokenizerEncoding expected)
    {
        Tokenizer.TryGetEncodingForModel(model, out TokenizerEncoding encoding).Should().BeTrue();
        encoding.Should().Be(expected);
        Tokenizer.ForModel(model, out bool known).Encoding.Should().Be(expected);
        known.Should().BeTrue();
    }

    [TestCase("my-azure-deployment")]
    [TestCase("GPT-4O")]
    [TestCase("gpt-4x")]
    [TestCase("claude-3-opus")]
    [TestCase("text-davinci-003")]
    public void ForModel_UnknownModel_FallsBackToO200kAndSaysSo(string model)
    {
        Tokenizer.TryGetEncodingForModel(model, out TokenizerEncoding encoding).Should().BeFalse();
        encoding.Should().Be(TokenizerEncoding.O200kBase);
        Tokenizer.ForModel(model, out bool known).Should().BeSameAs(Tokenizer.Get(TokenizerEncoding.O200kBase));
        known.Should().BeFalse();
        Tokenizer.ForModel(model).Encoding.Should().Be(TokenizerEncoding.O200kBase);
    }

    /// <summary>Random text made of two pool entries repeated at random, with an occasional third: long runs of every shape.</summary>
    internal static string RandomRunText(Random random, int length)
    {
        string[] pool =
        [
            "a", "b", "A", "Z", "=", "-", " ", "\n", "\t", "'", "s", "1", "ʰ", "X", "é", "\u0301", "中", "😀", "\uD835\uDC00",
            "\uD835", "\uDC00", "/", "\r", " a", "\u00A0",
        ];
        string first = pool[random.Next(pool.Length)], second = pool[random.Next(pool.Length)];
        var builder = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            builder.Append(random.Next(6) == 0 ? pool[random.Next(pool.Length)] : random.Next(2) == 0 ? first : second);
        }

        return builder.ToString();
    }

    internal static string RandomText(Random random, int length)
    {
        // Weighted towards the characters that exercise the pre-tokenizer: letters of each class, digits, marks,
        // white space, CR/LF, apostrophes, punctuation, slashes and astral code points.
        string[] pool =
        [
            "a", "b", "s", "t", "l", "e", "A", "B", "Z", " ", " ", " ", "\t", "\r", "\n", "\r\n", "'", "'", "/", ".", ",",
            "!", "?", "-", "_", "(", "0", "1", "9", "٣", "½", "é", "ß", "Ж", "ж", "ǅ", "ʰ", "\u0301", "中", "あ", "한",
            "\u00A0", "\u0085", "\uFEFF", "\u3000", "😀", "👍🏽", "𝐀", "𝐚", "𝟏", "𠮷", "\uD835\uDC00", "<|endoftext|>", "ſ", "İ",
        ];
        var builder = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            builder.Append(pool[random.Next(pool.Length)]);
        }

        return builder.ToString();
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    [TestCase("x\u1C89\u1C8Ay", "x\u1C89\u1C8Ay", false)]
    [TestCase("q\u0897r s", "q\u0897r", true)]
    [TestCase("ab\U000106C0\U000106C1cd e", "ab\U000106C0\U000106C1cd", false)]
    public void CodePointsAddedInUnicode16_AreLettersAndMarksOnEveryRuntime(string text, string firstPiece, bool o200k)
    {
        // .NET 8's tables (Unicode 15.0) call these unassigned; tiktoken and .NET 10 call them letters and marks, so
        // they join the letters around them into one piece (o200k_base counts marks with letters; cl100k_base does not).
        // The library's own table makes .NET 8 agree.
        bool hitEnd = false;
        int end = o200k ? PreTokenizer.NextO200k(text, 0, ref hitEnd) : PreTokenizer.NextCl100k(text, 0, ref hitEnd);

        text[..end].Should().Be(firstPiece);
    }
}
