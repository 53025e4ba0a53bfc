using System.Globalization;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Sizes in the units people read them in: <c>512 bytes</c>, <c>256 KiB</c>, <c>1.5 MiB</c>, <c>2 GiB</c>.</summary>
internal static class ByteSize
{
    public static string Format(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes"
            : value.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
