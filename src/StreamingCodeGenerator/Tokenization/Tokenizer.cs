using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace StreamingCodeGeneration;

/// <summary>
/// A byte-pair-encoding tokenizer that produces exactly the token ids of OpenAI's tiktoken for
/// <see cref="TokenizerEncoding.O200kBase"/> and <see cref="TokenizerEncoding.Cl100kBase"/>.
/// </summary>
/// <remarks>
/// <para>
/// Instances are cached per encoding and are thread-safe. The rank table of an encoding is an embedded,
/// compressed resource that is loaded once, the first time <see cref="Get"/> or <see cref="ForModel(string)"/>
/// asks for that encoding.
/// </para>
/// <para>
/// Special tokens such as <c>&lt;|endoftext|&gt;</c> are encoded as ordinary text unless the caller passes
/// <c>allowSpecialTokens: true</c>; model output and user input should never be able to smuggle in a control token.
/// A lone UTF-16 surrogate is encoded as U+FFFD, as tiktoken does.
/// </para>
/// </remarks>
public sealed partial class Tokenizer
{
    private static readonly Lazy<Tokenizer> s_o200kBase = new(
        () => new Tokenizer(TokenizerEncoding.O200kBase, "o200k_base", [new("<|endoftext|>", 199999), new("<|endofprompt|>", 200018)]),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Tokenizer> s_cl100kBase = new(
        () => new Tokenizer(
            TokenizerEncoding.Cl100kBase,
            "cl100k_base",
            [
                new("<|endoftext|>", 100257),
                new("<|fim_prefix|>", 100258),
                new("<|fim_middle|>", 100259),
                new("<|fim_suffix|>", 100260),
                new("<|endofprompt|>", 100276),
            ]),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly BpeVocabulary _vocabulary;
    private readonly SpecialToken[] _specialTokens;
    private readonly bool _isO200k;
    private readonly string _name;

    private Tokenizer(TokenizerEncoding encoding, string name, SpecialToken[] specialTokens)
    {
        Encoding = encoding;
        _name = name;
        _isO200k = encoding == TokenizerEncoding.O200kBase;
        _specialTokens = specialTokens;
        _vocabulary = BpeVocabulary.LoadEmbedded($"StreamingCodeGeneration.Tokenization.{name}.ranks.br");
    }

    /// <summary>Gets the encoding this tokenizer implements.</summary>
    public TokenizerEncoding Encoding { get; }

    /// <summary>Gets the shared tokenizer for <paramref name="encoding"/>.</summary>
    /// <param name="encoding">The encoding, for example the one configured for an Azure deployment, whose name is not a model name.</param>
    /// <returns>The cached, thread-safe tokenizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="encoding"/> is not a defined <see cref="TokenizerEncoding"/>.</exception>
    /// <exception cref="InvalidOperationException">The embedded rank table is missing or corrupt.</exception>
    public static Tokenizer Get(TokenizerEncoding encoding) => encoding switch
    {
        TokenizerEncoding.O200kBase => s_o200kBase.Value,
        TokenizerEncoding.Cl100kBase => s_cl100kBase.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, $"Unknown tokenizer encoding {encoding}."),
    };

    /// <summary>
    /// Gets the shared tokenizer for an OpenAI model name, using tiktoken's rules: an exact name first
    /// (<c>gpt-4o</c>, <c>gpt-4</c>, <c>text-embedding-3-small</c>, ...), then a known prefix (<c>gpt-4o-</c>,
    /// <c>gpt-4.1-</c>, <c>o3-</c>, <c>gpt-5</c>, <c>ft:gpt-4o</c>, <c>gpt-4-</c>, <c>gpt-35-turbo-</c>, ...).
    /// An unknown model falls back to <see cref="TokenizerEncoding.O200kBase"/>; use
    /// <see cref="ForModel(string, out bool)"/> or <see cref="TryGetEncodingForModel"/> to find out.
    /// </summary>
    /// <param name="model">The model name, for example <c>gpt-4o-mini</c>.</param>
    /// <returns>The cached, thread-safe tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The embedded rank table is missing or corrupt.</exception>
    public static Tokenizer ForModel(string model) => ForModel(model, out _);

    /// <summary>
    /// Gets the shared tokenizer for an OpenAI model name (see <see cref="ForModel(string)"/>) and reports whether
    /// the name was recognised.
    /// </summary>
    /// <param name="model">The model name, for example <c>gpt-4o-mini</c>.</param>
    /// <param name="isKnownModel">
    /// <see langword="true"/> when the model name maps to an encoding; <see langword="false"/> when the tokenizer is the
    /// <see cref="TokenizerEncoding.O200kBase"/> fallback (an Azure deployment name, say, or a model newer than this library).
    /// </param>
    /// <returns>The cached, thread-safe tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The embedded rank table is missing or corrupt.</exception>
    public static Tokenizer ForModel(string model, out bool isKnownModel)
    {
        isKnownModel = TryGetEncodingForModel(model, out TokenizerEncoding encoding);
        return Get(encoding);
    }

    /// <summary>Looks up the encoding of an OpenAI model name with tiktoken's rules (see <see cref="ForModel(string)"/>).</summary>
    /// <param name="model">The model name; case is ignored, and a fine-tune (<c>ft:</c>) or router vendor prefix (<c>openai/</c>) is looked through.</param>
    /// <param name="encoding">The model's encoding, or <see cref="TokenizerEncoding.O200kBase"/> when the model is unknown.</param>
    /// <returns><see langword="true"/> when the model is known; otherwise <see langword="false"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    public static bool TryGetEncodingForModel(string model, out TokenizerEncoding encoding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (KnownModels.Find(model)?.Encoding is TokenizerEncoding known)
        {
            encoding = known;
            return true;
        }

        encoding = TokenizerEncoding.O200kBase;
        return false;
    }

    /// <summary>Counts the tokens of <paramref name="text"/> without allocating the ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="allowSpecialTokens">
    /// <see langword="true"/> to encode special-token text such as <c>&lt;|endoftext|&gt;</c> as the special token;
    /// <see langword="false"/> (the default) to encode it as ordinary text.
    /// </param>
    /// <returns>The number of tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public int CountTokens(string text, bool allowSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CountTokens(text.AsSpan(), allowSpecialTokens);
    }

    /// <summary>Counts the tokens of <paramref name="text"/> without allocating the ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="allowSpecialTokens">
    /// <see langword="true"/> to encode special-token text such as <c>&lt;|endoftext|&gt;</c> as the special token;
    /// <see langword="false"/> (the default) to encode it as ordinary text.
    /// </param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(ReadOnlySpan<char> text, bool allowSpecialTokens = false)
    {
        var sink = new TokenCountSink();
        Encode(text, allowSpecialTokens, ref sink);
        return sink.Count;
    }

    /// <summary>Encodes <paramref name="text"/> to token ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="allowSpecialTokens">
    /// <see langword="true"/> to encode special-token text such as <c>&lt;|endoftext|&gt;</c> as the special token;
    /// <see langword="false"/> (the default) to encode it as ordinary text.
    /// </param>
    /// <returns>The token ids, identical to tiktoken's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<int> EncodeToIds(string text, bool allowSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EncodeToIds(text.AsSpan(), allowSpecialTokens);
    }

    /// <summary>Encodes <paramref name="text"/> to token ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="allowSpecialTokens">
    /// <see langword="true"/> to encode special-token text such as <c>&lt;|endoftext|&gt;</c> as the special token;
    /// <see langword="false"/> (the default) to encode it as ordinary text.
    /// </param>
    /// <returns>The token ids, identical to tiktoken's.</returns>
    public IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text, bool allowSpecialTokens = false)
    {
        var sink = new TokenIdSink(new List<int>((text.Length / 4) + 4));
        Encode(text, allowSpecialTokens, ref sink);
        return sink.Ids;
    }

    /// <summary>
    /// Finds how much of <paramref name="text"/> fits in <paramref name="maxTokenCount"/> tokens, stopping the
    /// encoding as soon as the budget is exceeded.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxTokenCount">The token budget.</param>
    /// <param name="tokenCount">The number of tokens that fit, at most <paramref name="maxTokenCount"/>.</param>
    /// <param name="allowSpecialTokens">
    /// <see langword="true"/> to encode special-token text as the special token; <see langword="false"/> (the default)
    /// to encode it as ordinary text.
    /// </param>
    /// <returns>
    /// The number of chars at the start of <paramref name="text"/> covered by the first <paramref name="tokenCount"/>
    /// tokens of the whole text's encoding; <c>text.Length</c> when everything fits. The index never splits a
    /// surrogate pair.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokenCount"/> is negative.</exception>
    public int GetIndexByTokenCount(string text, int maxTokenCount, out int tokenCount, bool allowSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return GetIndexByTokenCount(text.AsSpan(), maxTokenCount, out tokenCount, allowSpecialTokens);
    }

    /// <summary>
    /// Finds how much of <paramref name="text"/> fits in <paramref name="maxTokenCount"/> tokens, stopping the
    /// encoding as soon as the budget is exceeded.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxTokenCount">The token budget.</param>
    /// <param name="tokenCount">The number of tokens that fit, at most <paramref name="maxTokenCount"/>.</param>
    /// <param name="allowSpecialTokens">
    /// <see langword="true"/> to encode special-token text as the special token; <see langword="false"/> (the default)
    /// to encode it as ordinary text.
    /// </param>
    /// <returns>
    /// The number of chars at the start of <paramref name="text"/> covered by the first <paramref name="tokenCount"/>
    /// tokens of the whole text's encoding; <c>text.Length</c> when everything fits. The index never splits a
    /// surrogate pair.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokenCount"/> is negative.</exception>
    public int GetIndexByTokenCount(ReadOnlySpan<char> text, int maxTokenCount, out int tokenCount, bool allowSpecialTokens = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        var sink = new TokenBudgetSink(maxTokenCount);
        bool completed = Encode(text, allowSpecialTokens, ref sink);
        tokenCount = sink.Count;
        return completed ? text.Length : sink.Index;
    }

    /// <summary>Decodes token ids to text; byte sequences that are not valid UTF-8 become U+FFFD.</summary>
    /// <param name="ids">The token ids, including special-token ids.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is not a token of this encoding.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            int length = 0;
            foreach (int id in ids)
            {
                ReadOnlySpan<byte> bytes = GetTokenBytes(id, out string? special);
                if (special is not null)
                {
                    int byteCount = System.Text.Encoding.UTF8.GetByteCount(special);
                    Grow(ref buffer, length, byteCount);
                    length += System.Text.Encoding.UTF8.GetBytes(special, buffer.AsSpan(length));
                }
                else
                {
                    Grow(ref buffer, length, bytes.Length);
                    bytes.CopyTo(buffer.AsSpan(length));
                    length += bytes.Length;
                }
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        static void Grow(ref byte[] buffer, int length, int extra)
        {
            if (length + extra <= buffer.Length)
            {
                return;
            }

            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + extra));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}
