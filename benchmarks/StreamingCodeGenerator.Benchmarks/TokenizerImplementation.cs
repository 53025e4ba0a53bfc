using Microsoft.ML.Tokenizers;
using SharpToken;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>One implementation's count of ordinary text (special-token text counts as text, as in tiktoken's encode_ordinary).</summary>
internal sealed class TokenizerImplementation
{
    public const string Ours = "ours";
    public const string SharpTokenName = "sharptoken";
    public const string MlTokenizers = "mltokenizers";

    private static readonly HashSet<string> s_noSpecialTokens = [];

    private TokenizerImplementation(string name, Func<string, int> count, Tokenizer? ours = null)
    {
        Name = name;
        Count = count;
        OurTokenizer = ours;
    }

    /// <summary>Gets the implementation's name in the JSON lines: ours, sharptoken or mltokenizers.</summary>
    public string Name { get; }

    /// <summary>Gets the count of ordinary text.</summary>
    public Func<string, int> Count { get; }

    /// <summary>Gets our tokenizer, when this is ours.</summary>
    public Tokenizer? OurTokenizer { get; }

    public static TokenizerImplementation Create(string name, string encoding)
    {
        switch (name)
        {
            case Ours:
                Tokenizer tokenizer = Tokenizer.Get(encoding == "o200k_base" ? TokenizerEncoding.O200kBase : TokenizerEncoding.Cl100kBase);
                return new TokenizerImplementation(name, text => tokenizer.CountTokens(text), tokenizer);
            case SharpTokenName:
                // SharpToken throws on special-token text unless nothing is disallowed; then it is ordinary text.
                GptEncoding sharp = GptEncoding.GetEncoding(encoding);
                return new TokenizerImplementation(name, text => sharp.CountTokens(text, allowedSpecial: null, disallowedSpecial: s_noSpecialTokens));
            case MlTokenizers:
                // Microsoft.ML.Tokenizers has no switch for it: its tiktoken tokenizer always treats <|endoftext|> and
                // friends as special tokens (one token each), so its counts differ where the text contains them.
                TiktokenTokenizer ml = TiktokenTokenizer.CreateForEncoding(encoding);
                return new TokenizerImplementation(name, text => ml.CountTokens(text));
            default:
                throw new ArgumentException($"unknown implementation '{name}' (ours, sharptoken, mltokenizers)", nameof(name));
        }
    }
}
