namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A failed check's output as the model is shown it: the end, where compilers and test runners put their errors, within a token budget.</summary>
internal static class CheckOutput
{
    /// <summary>
    /// The longest end of <paramref name="output"/> that fits <paramref name="maxTokens"/> tokens, starting at a line
    /// when one starts close enough. The tokens of the start that must go are found with
    /// <see cref="Tokenizer.GetIndexByTokenCount(string, int, out int, bool)"/>; the rest is counted again (a cut can
    /// change how its first characters encode) and cut further until it fits.
    /// </summary>
    public static string Tail(Tokenizer tokenizer, string output, int maxTokens, out bool trimmed)
    {
        int total = tokenizer.CountTokens(output);
        trimmed = total > maxTokens;
        if (!trimmed)
        {
            return output;
        }

        int drop = total - maxTokens;
        string tail = output;
        while (tail.Length > 0)
        {
            int index = tokenizer.GetIndexByTokenCount(output, drop, out _);
            tail = output[index..];

            // Start at a line when one starts within the first tenth: a whole first line reads better than half of one.
            int newline = tail.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0 && newline < tail.Length / 10)
            {
                tail = tail[(newline + 1)..];
            }

            if (tokenizer.CountTokens(tail) <= maxTokens)
            {
                return tail;
            }

            drop++;
        }

        return tail;
    }
}
