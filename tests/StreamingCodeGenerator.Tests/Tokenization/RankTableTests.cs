using System.Text;

namespace StreamingCodeGeneration.Tests.Tokenization;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RankTableTests
{
    [Test]
    public void Constructor_WhateverTheHeapHoldsBefore_FirstSlotStartsACacheLine()
    {
        // An ordinary array starts 8 bytes into a cache line or 48, depending on what was allocated before it (in
        // row 3 of the benchmark: which tokenizer loaded first), and then a quarter of the 16-byte slots straddle
        // two lines. Every table must start a line, whatever came before it.
        var keepAlive = new List<byte[]>();
        for (int shift = 0; shift < 16; shift++)
        {
            keepAlive.Add(GC.AllocateArray<byte>(1 + (shift * 8), pinned: true));
            var table = new RankTable(100 + shift, [0], [1]);
            table.FirstSlotMisalignment.Should().Be(0, $"after a pinned array of {1 + (shift * 8)} bytes");
        }

        GC.KeepAlive(keepAlive);
    }

    [TestCase(TokenizerEncoding.O200kBase)]
    [TestCase(TokenizerEncoding.Cl100kBase)]
    public void GetRank_EveryTokenOfTheEncoding_ReturnsItsRank(TokenizerEncoding encoding)
    {
        BpeVocabulary vocabulary = Tokenizer.Get(encoding).Vocabulary;
        int wrong = 0;
        for (int rank = 0; rank < vocabulary.Count; rank++)
        {
            wrong += vocabulary.GetRank(vocabulary.GetTokenBytes(rank)) == rank ? 0 : 1;
        }

        wrong.Should().Be(0);
    }

    [TestCase(TokenizerEncoding.O200kBase)]
    [TestCase(TokenizerEncoding.Cl100kBase)]
    public void GetRank_TokenWithOneByteMoreOrLessOrChanged_IsATokenExactlyWhenTheVocabularyHasIt(TokenizerEncoding encoding)
    {
        // Keys that share a prefix, a hash slot neighbourhood or a length with a token: the answer must be the
        // vocabulary's own, found by comparing bytes.
        BpeVocabulary vocabulary = Tokenizer.Get(encoding).Vocabulary;
        var ranks = new Dictionary<string, int>();
        for (int rank = 0; rank < vocabulary.Count; rank++)
        {
            ranks[Convert.ToHexString(vocabulary.GetTokenBytes(rank))] = rank;
        }

        var random = new Random(20);
        int checkedKeys = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] token = vocabulary.GetTokenBytes(random.Next(vocabulary.Count)).ToArray();
            foreach (byte[] key in new[] { [.. token, (byte)random.Next(256)], token[..^1], Changed(token, random) })
            {
                int expected = ranks.TryGetValue(Convert.ToHexString(key), out int rank) ? rank : -1;
                vocabulary.GetRank(key).Should().Be(expected, Encoding.Latin1.GetString(key));
                checkedKeys++;
            }
        }

        checkedKeys.Should().Be(60_000);
    }

    private static byte[] Changed(byte[] token, Random random)
    {
        byte[] key = token.ToArray();
        key[random.Next(key.Length)] ^= (byte)(1 << random.Next(8));
        return key;
    }
}
