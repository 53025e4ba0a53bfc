using System.Text;

namespace StreamingCodeGeneration.Tests;

/// <summary>Feeds text to a <see cref="CodeFenceSegmenter"/> in given pieces and compares segmentations.</summary>
internal static class SegmentationHarness
{
    /// <summary>Segments <paramref name="text"/> delivered whole.</summary>
    public static List<TextSegment> Whole(string text) => Split(text, []);

    /// <summary>Segments <paramref name="text"/> delivered one character at a time.</summary>
    public static List<TextSegment> OneCharAtATime(string text)
    {
        int[] cuts = new int[Math.Max(0, text.Length - 1)];
        for (int i = 0; i < cuts.Length; i++)
        {
            cuts[i] = i + 1;
        }

        return Split(text, cuts);
    }

    /// <summary>
    /// Segments <paramref name="text"/> cut at the ascending positions <paramref name="cuts"/>.
    /// </summary>
    public static List<TextSegment> Split(string text, IReadOnlyList<int> cuts)
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        int start = 0;
        for (int k = 0; k <= cuts.Count; k++)
        {
            int end = k < cuts.Count ? cuts[k] : text.Length;
            segmenter.Push(text[start..end], output);

            start = end;
        }

        segmenter.Complete(output);
        return output;
    }

    /// <summary>Ascending random cut positions in (0, length).</summary>
    public static int[] RandomCuts(Random random, int length)
    {
        if (length < 2)
        {
            return [];
        }

        // Mix tiny and large deltas, as servers do.
        int count = random.Next(0, Math.Min(length, random.Next(2) == 0 ? 8 : length / 2 + 1));
        var set = new SortedSet<int>();
        while (set.Count < count)
        {
            set.Add(random.Next(1, length));
        }

        return [.. set];
    }

    /// <summary>Merges adjacent segments of equal kind, language and block index.</summary>
    public static List<TextSegment> Merge(IEnumerable<TextSegment> segments)
    {
        var merged = new List<TextSegment>();
        var text = new StringBuilder();
        TextSegment current = default;
        bool any = false;
        foreach (TextSegment segment in segments)
        {
            segment.Text.Should().NotBeEmpty("the segmenter never emits empty segments");
            if (any && current.HasSameRunAs(segment))
            {
                text.Append(segment.Text);
                continue;
            }

            if (any)
            {
                merged.Add(current with { Text = text.ToString() });
            }

            current = segment;
            text.Clear().Append(segment.Text);
            any = true;
        }

        if (any)
        {
            merged.Add(current with { Text = text.ToString() });
        }

        return merged;
    }

    /// <summary>The text of all segments concatenated.</summary>
    public static string Concat(IEnumerable<TextSegment> segments)
    {
        var text = new StringBuilder();
        foreach (TextSegment segment in segments)
        {
            text.Append(segment.Text);
        }

        return text.ToString();
    }

    /// <summary>A readable rendering of a segmentation for failure messages.</summary>
    public static string Render(IEnumerable<TextSegment> segments)
    {
        var text = new StringBuilder();
        foreach (TextSegment segment in segments)
        {
            text.Append(segment.Kind).Append('(').Append(segment.Language ?? "-").Append(',').Append(segment.BlockIndex).Append(") ")
                .Append(Escape(segment.Text)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One letter per line of <paramref name="text"/>: E (prose), F (fence), C (code).</summary>
    public static string LineKinds(string text)
    {
        var kinds = new StringBuilder();
        int position = 0;
        var lineStarts = new List<int>();
        for (int i = 0; i < text.Length; i++)
        {
            if (i == 0 || text[i - 1] == '\n' || (text[i - 1] == '\r' && text[i] != '\n'))
            {
                lineStarts.Add(i);
            }
        }

        foreach (TextSegment segment in Whole(text))
        {
            for (int i = 0; i < segment.Text.Length; i++, position++)
            {
                if (lineStarts.Contains(position))
                {
                    kinds.Append(segment.Kind switch { ChunkKind.Explanation => 'E', ChunkKind.Fence => 'F', _ => 'C' });
                }
            }
        }

        return kinds.ToString();
    }

    /// <summary>Replaces every line ending of <paramref name="text"/> with <paramref name="lineEnding"/>.</summary>
    public static string WithLineEnding(string text, string lineEnding) =>
        text.Replace("\r\n", "\n").Replace('\r', '\n').Replace("\n", lineEnding);

    public static string Escape(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
}
