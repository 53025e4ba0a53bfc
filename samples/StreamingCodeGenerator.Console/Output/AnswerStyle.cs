namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// Colours for the streamed answer on a terminal. Only SGR codes are added around the model's text (already made
/// visible by <see cref="TerminalTextFilter"/>), never other characters: an opening fence line (which names the language and often the file) is a bold header, code is cyan,
/// a closing fence is dim, prose keeps the terminal's colour.
/// </summary>
internal sealed class AnswerStyle
{
    public const string Reset = "\u001b[0m";
    public const string Header = "\u001b[1;35m";
    public const string Code = "\u001b[36m";
    public const string Dim = "\u001b[2m";

    private int _openBlock = -1;

    /// <summary>Returns the chunk's text wrapped in its colour.</summary>
    public string Apply(Chunk chunk) => Apply(chunk, chunk?.Text!);

    /// <summary>Returns <paramref name="text"/> (the chunk's text as shown, its control characters made visible) wrapped in the chunk's colour.</summary>
    public string Apply(Chunk chunk, string text)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(text);
        string? colour = chunk.Kind switch
        {
            ChunkKind.Code => Code,
            ChunkKind.Fence when _openBlock == chunk.BlockIndex => Dim,
            ChunkKind.Fence => Header,
            ChunkKind.Reasoning => Dim,
            _ => null,
        };
        if (chunk.Kind == ChunkKind.Fence)
        {
            _openBlock = _openBlock == chunk.BlockIndex ? -1 : chunk.BlockIndex;
        }

        return colour is null || text.Length == 0 ? text : colour + text + Reset;
    }
}
