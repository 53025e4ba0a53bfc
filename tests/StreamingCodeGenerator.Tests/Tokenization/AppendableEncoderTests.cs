using System.Text;

namespace StreamingCodeGeneration.Tests.Tokenization;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AppendableEncoderTests
{
    private static readonly TokenizerEncoding[] s_encodings = [TokenizerEncoding.O200kBase, TokenizerEncoding.Cl100kBase];

    [TestCase(TokenizerEncoding.O200kBase)]
    [TestCase(TokenizerEncoding.Cl100kBase)]
    public void Merge_EveryTokenOfTheEncoding_MergesToItself(TokenizerEncoding encoding)
    {
        // The appendable encoder takes a prefix that is a token as that one token: true only if tiktoken's merge of
        // every token's bytes ends in the token itself.
        BpeVocabulary vocabulary = Tokenizer.Get(encoding).Vocabulary;
        int[] work = new int[2 * ((2 * TokenSuffixIndex.MaxTokenLength) + 1)];
        var failures = new List<int>();
        for (int rank = 0; rank < vocabulary.Count; rank++)
        {
            ReadOnlySpan<byte> token = vocabulary.GetTokenBytes(rank);
            if (token.Length >= 2 && BytePairMerger.Merge(vocabulary, token, work) != 1)
            {
                failures.Add(rank);
            }
        }

        failures.Should().BeEmpty();
    }

    [TestCase(TokenizerEncoding.O200kBase)]
    [TestCase(TokenizerEncoding.Cl100kBase)]
    public void Constructor_EveryTokenOfTheEncoding_FitsTheSuffixIndex(TokenizerEncoding encoding)
    {
        BpeVocabulary vocabulary = Tokenizer.Get(encoding).Vocabulary;

        vocabulary.SuffixIndex.Should().NotBeNull();
        Enumerable.Range(0, vocabulary.Count).Max(rank => vocabulary.GetTokenBytes(rank).Length).Should().BeLessThanOrEqualTo(TokenSuffixIndex.MaxTokenLength);
    }

    [Test]
    public void Append_RandomTokenConcatenations_CountOfEveryPrefixEqualsTiktokensMerge([Values(1, 2, 3, 4)] int seed)
    {
        // Byte strings built from random tokens (and some random bytes), merged by tiktoken's loop at every prefix.
        var random = new Random(seed);
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            BpeVocabulary vocabulary = Tokenizer.Get(encoding).Vocabulary;
            for (int i = 0; i < 20; i++)
            {
                byte[] bytes = RandomTokenBytes(vocabulary, random, 120);
                var encoder = new AppendableEncoder(vocabulary);
                int position = 0;
                while (position < bytes.Length)
                {
                    int length = Math.Min(bytes.Length - position, 1 + random.Next(5));
                    encoder.Append(bytes.AsSpan(position, length));
                    position += length;
                }

                for (int prefix = 1; prefix <= bytes.Length; prefix++)
                {
                    encoder.CountAt(prefix).Should().Be(MergeCount(vocabulary, bytes.AsSpan(0, prefix)), "{0} prefix {1} of {2}", encoding, prefix, Convert.ToHexString(bytes));
                }
            }
        }
    }

    [TestCaseSource(typeof(TiktokenCase), nameof(TiktokenCase.Ordinary))]
    public void Append_EveryPieceOfAFixture_CountsLikeTiktoken(TiktokenCase testCase)
    {
        // The equivalence of the per-prefix encoding with tiktoken's merge, checked on the golden files: each
        // pre-tokenizer piece encoded byte by byte adds up to tiktoken's count.
        foreach (TokenizerEncoding encoding in s_encodings)
        {
            BpeVocabulary vocabulary = Tokenizer.Get(encoding).Vocabulary;
            string text = testCase.Text;
            int total = 0;
            bool hitEnd = false;
            for (int start = 0; start < text.Length;)
            {
                int end = encoding == TokenizerEncoding.O200kBase ? PreTokenizer.NextO200k(text, start, ref hitEnd) : PreTokenizer.NextCl100k(text, start, ref hitEnd);
                var encoder = new AppendableEncoder(vocabulary);
                encoder.Append(Utf8(text[start..end]));
                total += encoder.Count;
                start = end;
            }

            total.Should().Be(testCase.Expected(encoding).Length, "{0} {1}", encoding, testCase.Name);
        }
    }

    [Test]
    public void Truncate_ThenAppendAgain_CountsAsIfNeverAppended()
    {
        BpeVocabulary vocabulary = Tokenizer.Get(TokenizerEncoding.O200kBase).Vocabulary;
        var encoder = new AppendableEncoder(vocabulary);
        encoder.Append(Utf8("aaaaaaaaaaaaaaaaaaab"));
        int before = encoder.Count;

        encoder.Append("\uFFFD"u8);
        encoder.Truncate(20);
        encoder.Append(Utf8("c"));

        var fresh = new AppendableEncoder(vocabulary);
        fresh.Append(Utf8("aaaaaaaaaaaaaaaaaaabc"));
        encoder.Count.Should().Be(fresh.Count);
        encoder.CountAt(20).Should().Be(before);
    }

    // Encoding.UTF8 turns a lone surrogate into U+FFFD, as tiktoken does.
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] RandomTokenBytes(BpeVocabulary vocabulary, Random random, int minLength)
    {
        var bytes = new List<byte>();
        while (bytes.Count < minLength)
        {
            if (random.Next(8) == 0)
            {
                bytes.Add((byte)random.Next(256));
            }
            else
            {
                bytes.AddRange(vocabulary.GetTokenBytes(random.Next(vocabulary.Count)).ToArray());
            }
        }

        return [.. bytes];
    }

    /// <summary>tiktoken's count of one piece: a piece that is a token is one token, else the merge decides.</summary>
    private static int MergeCount(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece)
    {
        if (vocabulary.GetRank(piece) >= 0)
        {
            return 1;
        }

        int[] work = new int[2 * (piece.Length + 1)];
        return BytePairMerger.Merge(vocabulary, piece, work);
    }
}
