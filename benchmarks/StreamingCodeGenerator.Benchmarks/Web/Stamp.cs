using System.Diagnostics;
using System.Globalization;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// The paced upstream's answer text: each chunk is <c>"[seq timestamp] "</c>, the chunk's number in its stream and the
/// <see cref="Stopwatch"/> timestamp at which the upstream sent it. A reader in the same process turns the text it
/// receives, through any proxy and however re-chunked, back into per-chunk latencies, and checks the text exact
/// (every number once, in order).
/// </summary>
internal static class Stamp
{
    public static string Text(int sequence, long timestamp) => string.Create(CultureInfo.InvariantCulture, $"[{sequence} {timestamp}] ");

    /// <summary>Reads stamps from text as it arrives; a stamp split across chunks is completed by the next one.</summary>
    public sealed class Reader
    {
        private string _pending = string.Empty;

        /// <summary>The number of stamps read so far, all in order.</summary>
        public int Count { get; private set; }

        /// <summary>Why the text is not exact, or null while it is.</summary>
        public string? Error { get; private set; }

        /// <summary>Appends <paramref name="text"/> that arrived at <paramref name="arrived"/> and adds each completed stamp's latency in ms.</summary>
        public void Append(string text, long arrived, List<double> latencies)
        {
            string all = _pending.Length == 0 ? text : _pending + text;
            int position = 0;
            while (Error is null && all.IndexOf(']', position) is int end and >= 0)
            {
                ReadOnlySpan<char> stamp = all.AsSpan(position, end + 1 - position);
                int space = stamp.IndexOf(' ');
                if (stamp[0] != '[' || space < 0
                    || !int.TryParse(stamp[1..space], NumberStyles.None, CultureInfo.InvariantCulture, out int sequence)
                    || !long.TryParse(stamp[(space + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out long sent))
                {
                    Error = $"not a stamp: '{stamp}'";
                    break;
                }

                if (sequence != Count)
                {
                    Error = $"chunk {sequence} arrived where chunk {Count} was due";
                    break;
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
                Count++;
                // Each stamp is followed by one space.
                position = end + 2;
            }

            _pending = position >= all.Length ? string.Empty : all[position..];
        }

        /// <summary>Checks the stream ended after exactly <paramref name="expected"/> stamps and nothing else.</summary>
        public string? Finish(int expected) =>
            Error ?? (Count != expected ? $"{Count} of {expected} chunks arrived" : _pending.Length != 0 ? $"trailing text '{_pending}'" : null);
    }
}
