using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// The end-of-run summary (as the earlier Python service printed it), as lines of plain text: time taken, tokens (counted here, and the server's usage
/// when it reported it), chunks, finish reason, the code blocks found with their file names, the files saved, and a
/// note when the answer was cut. Each line is a label and its text, so a terminal can colour the label.
/// </summary>
internal static class RunSummary
{
    public static IReadOnlyList<(string Label, string Text)> Describe(CodeGenerationResult result, int chunkCount, IReadOnlyList<SavedFile> saved, string? saveFolder)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(saved);
        StreamStats stats = result.Stats;
        var lines = new List<(string, string)>();

        var done = new StringBuilder();
        done.Append(CultureInfo.InvariantCulture, $"in {LiveStatus.Time(stats.Elapsed)} · {stats.TokenCount} tokens");
        done.Append(stats.Usage is { } usage
            ? string.Create(CultureInfo.InvariantCulture, $" (server usage: {usage.InputTokenCount} prompt + {usage.OutputTokenCount} completion = {usage.TotalTokenCount})")
            : stats.UsageRequested ? " (the server reported no usage)" : " (the server does not report usage)");
        done.Append(CultureInfo.InvariantCulture, $" · {chunkCount} chunks from {stats.ServerEventCount} server events ({stats.EmptyServerEventCount} without text)");
        done.Append(CultureInfo.InvariantCulture, $" · {stats.TokensPerSecond:0.0} tok/s · first chunk {(stats.TimeToFirstChunk is { } first ? LiveStatus.Time(first) : "-")}");
        if (stats.Attempts > 1)
        {
            done.Append(CultureInfo.InvariantCulture, $" · {stats.Attempts} attempts");
        }

        done.Append(" · finish reason ").Append(stats.RawFinishReason ?? "-");
        lines.Add(("Done", done.ToString()));

        if (result.CodeBlocks.Count == 0)
        {
            lines.Add(("Code blocks", "none"));
        }
        else
        {
            var blocks = new StringBuilder();
            blocks.Append(result.CodeBlocks.Count.ToString(CultureInfo.InvariantCulture)).Append(" — ");
            for (int i = 0; i < result.CodeBlocks.Count; i++)
            {
                CodeBlock block = result.CodeBlocks[i];
                if (i > 0)
                {
                    blocks.Append(", ");
                }

                blocks.Append(block.FileName is { } name ? CommandLineErrors.OneLine(name) : string.Create(CultureInfo.InvariantCulture, $"block {block.Index + 1}"));
                blocks.Append(" (").Append(block.Language ?? "no language");
                blocks.Append(CultureInfo.InvariantCulture, $", {CountLines(block.Code)} lines");
                if (!block.IsTerminated)
                {
                    blocks.Append(", unterminated");
                }

                blocks.Append(')');
            }

            lines.Add(("Code blocks", blocks.ToString()));
        }

        if (saveFolder is not null)
        {
            lines.Add(("Saved", saved.Count == 0
                ? "nothing (the answer has no code blocks)"
                : string.Join(", ", saved.Select(file => Path.Combine(saveFolder, file.RelativePath)))));
        }

        if (result.IsTruncated)
        {
            lines.Add(("Note", stats.FinishReason switch
            {
                FinishReason.Length => "the answer was cut short: it reached the output token limit (finish reason length) — raise --max-tokens.",
                FinishReason.ContentFilter => "the answer was cut short: a content filter withheld the rest (finish reason content_filter).",
                _ => "the answer ended inside a code block, so the last block is incomplete.",
            }));
        }

        if (stats.Refusal is { Length: > 0 } refusal)
        {
            lines.Add(("Refusal", CommandLineErrors.OneLine(refusal)));
        }

        return lines;
    }

    private static int CountLines(string code)
    {
        if (code.Length == 0)
        {
            return 0;
        }

        int lines = code.Count(c => c == '\n');
        return code[^1] == '\n' ? lines : lines + 1;
    }
}
