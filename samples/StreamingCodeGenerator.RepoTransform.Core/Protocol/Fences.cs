namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Chooses a backtick fence that the text inside cannot close (CommonMark: a closing fence is at least as long).</summary>
internal static class Fences
{
    /// <summary>Three backticks, or one more than the longest backtick run that starts a line (after up to three spaces).</summary>
    public static string For(string text)
    {
        int longest = 0;
        int lineStart = 0;
        while (lineStart < text.Length)
        {
            int i = lineStart;
            int spaces = 0;
            while (i < text.Length && text[i] == ' ' && spaces < 3)
            {
                i++;
                spaces++;
            }

            int run = 0;
            while (i < text.Length && text[i] == '`')
            {
                i++;
                run++;
            }

            longest = Math.Max(longest, run);
            int newline = text.IndexOf('\n', i);
            lineStart = newline < 0 ? text.Length : newline + 1;
        }

        return new string('`', Math.Max(3, longest + 1));
    }
}
