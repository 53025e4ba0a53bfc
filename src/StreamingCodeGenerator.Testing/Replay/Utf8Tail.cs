namespace StreamingCodeGeneration.Testing;

/// <summary>Finds a UTF-8 character cut off at the end of a buffer, so a recording can keep it whole in the next chunk.</summary>
internal static class Utf8Tail
{
    /// <summary>The number of bytes at the end of <paramref name="data"/> that start a character the buffer does not finish (0 to 3).</summary>
    public static int IncompleteLength(ReadOnlySpan<byte> data)
    {
        // Walk back over at most three continuation bytes (10xxxxxx) to the byte that starts the last character.
        for (int back = 1; back <= Math.Min(4, data.Length); back++)
        {
            byte b = data[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? back : 0;
        }

        return 0;
    }
}
