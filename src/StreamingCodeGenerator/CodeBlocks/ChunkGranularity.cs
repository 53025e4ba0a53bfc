namespace StreamingCodeGeneration;

/// <summary>How text is cut into the chunks the caller receives.</summary>
public enum ChunkGranularity
{
    /// <summary>As received from the server (split only where code and explanation meet).</summary>
    Delta,

    /// <summary>Whole lines: what a code view wants.</summary>
    Line,

    /// <summary>Whole words (each chunk ends after white space).</summary>
    Word,
}
