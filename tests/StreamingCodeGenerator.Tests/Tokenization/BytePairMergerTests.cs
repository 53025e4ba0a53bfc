using System.Text;

namespace StreamingCodeGeneration.Tests.Tokenization;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class BytePairMergerTests
{
    [Test]
    public void Merge_PiecesAroundTheArrayThreshold_HeapAndArrayMergesAgree([Values(1, 2, 3)] int seed)
    {
        // Words just below and above the threshold take the array merge and the heap merge; both must agree with
        // a naive re-implementation of tiktoken's merge loop.
        var random = new Random(seed);
        foreach (TokenizerEncoding encoding in new[] { TokenizerEncoding.O200kBase, TokenizerEncoding.Cl100kBase })
        {
            Tokenizer tokenizer = Tokenizer.Get(encoding);
            for (int i = 0; i < 50; i++)
            {
                string word = RandomWord(random, BytePairMerger.ArrayMergeMaxLength - 10 + random.Next(30));
                IReadOnlyList<int> ids = tokenizer.EncodeToIds(word);
                tokenizer.Decode(ids).Should().Be(word);
                ReferenceMergeCount(tokenizer, word).Should().Be(ids.Count, word);
            }
        }
    }

    [Test]
    public void Merge_RepeatedLetter_LongPieceCompletes()
    {
        Tokenizer tokenizer = Tokenizer.Get(TokenizerEncoding.O200kBase);

        tokenizer.CountTokens(new string('a', 100_000)).Should().Be(12_500);
        tokenizer.CountTokens(string.Concat(Enumerable.Repeat("ab", 50_000))).Should().BeGreaterThan(0);
    }

    private static string RandomWord(Random random, int length)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyzéü";
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            builder.Append(Letters[random.Next(Letters.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>A straightforward (slow) re-implementation of tiktoken's merge loop over token strings.</summary>
    private static int ReferenceMergeCount(Tokenizer tokenizer, string word)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(word);
        var parts = bytes.Select(b => new[] { b }).ToList();
        BpeVocabulary vocabulary = tokenizer.Vocabulary;
        while (parts.Count > 1)
        {
            int best = -1;
            int bestRank = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
            {
                int rank = vocabulary.GetRank(parts[i].Concat(parts[i + 1]).ToArray());
                if (rank >= 0 && rank < bestRank)
                {
                    bestRank = rank;
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            parts[best] = parts[best].Concat(parts[best + 1]).ToArray();
            parts.RemoveAt(best + 1);
        }

        return parts.Count;
    }
}
