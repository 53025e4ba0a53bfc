using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Reads the host of a URL, a CONNECT request or a setting into one canonical form, the way a resolver would read it:
/// an IPv6 literal in brackets, an IPv4 address in any spelling <c>inet_aton</c> accepts (<c>2130706433</c>,
/// <c>0x7f.1</c>, <c>0177.0.0.1</c>, <c>127.1</c>) as its dotted-decimal form, and a name as lower-case ASCII (an
/// international name through IDNA, so <c>ｌｏｃａｌｈｏｓｔ</c> is <c>localhost</c>). Zone ids, percent-encoding,
/// empty labels and characters outside letters, digits, <c>-</c> and <c>.</c> are refused, so no other parser can read
/// the host differently.
/// </summary>
internal static class HostName
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>Reads a host; <paramref name="address"/> is set when it is an IP address.</summary>
    /// <param name="raw">The host as written (brackets around an IPv6 address).</param>
    /// <param name="host">The canonical host: lower-case name, dotted IPv4, or bracketed compressed IPv6.</param>
    /// <param name="address">The address, for an IP literal.</param>
    /// <param name="error">Why the host is refused.</param>
    public static bool TryRead(string raw, out string host, out IPAddress? address, out string? error)
    {
        host = string.Empty;
        address = null;
        error = null;
        if (raw.Length == 0)
        {
            error = "it has no host";
            return false;
        }

        if (raw[0] == '[')
        {
            if (raw[^1] != ']' || raw.Length < 3)
            {
                error = "its IPv6 address has no closing ']'";
                return false;
            }

            string inner = raw[1..^1];
            if (inner.Contains('%', StringComparison.Ordinal) || !inner.Contains(':', StringComparison.Ordinal)
                || !IPAddress.TryParse(inner, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "the address in brackets is not a plain IPv6 address (no zone id)";
                return false;
            }

            address = v6;
            host = "[" + v6 + "]";
            return true;
        }

        string ascii = raw;
        foreach (char c in raw)
        {
            if (c > 0x7F)
            {
                try
                {
                    ascii = Idn.GetAscii(raw);
                }
                catch (ArgumentException)
                {
                    error = "its international host name is not valid";
                    return false;
                }

                break;
            }
        }

        ascii = ascii.ToLowerInvariant();
        string[] labels = ascii.Split('.');
        foreach (string label in labels)
        {
            if (label.Length == 0)
            {
                error = "its host name has an empty label";
                return false;
            }

            if (label.Length > 63)
            {
                error = "its host name has a label longer than 63 characters";
                return false;
            }

            foreach (char c in label)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                {
                    error = "its host name holds a character other than letters, digits, '-' and '.'";
                    return false;
                }
            }
        }

        if (ascii.Length > 253)
        {
            error = "its host name is longer than 253 characters";
            return false;
        }

        // A name whose last label is a number is an IPv4 address to every resolver (and curl, and browsers): read it as
        // inet_aton does, or refuse it.
        if (IsNumber(labels[^1]))
        {
            if (!TryReadIPv4(labels, out IPAddress? v4))
            {
                error = "its host looks like an IPv4 address but is not a valid one";
                return false;
            }

            address = v4;
            host = v4.ToString();
            return true;
        }

        host = ascii;
        return true;
    }

    /// <summary>Reads <c>host</c>, <c>host:port</c> or <c>[v6]:port</c>; the port is <see langword="null"/> when absent.</summary>
    public static bool TrySplitPort(string authority, out string host, out int? port)
    {
        host = authority;
        port = null;
        int colon = authority.LastIndexOf(':');
        int bracket = authority.LastIndexOf(']');
        if (colon < 0 || colon < bracket)
        {
            return true;
        }

        if (authority[0] != '[' && authority.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            // Colons in a host that is not bracketed: an IPv6 address without brackets, which is ambiguous.
            return false;
        }

        host = authority[..colon];
        if (!TryReadPort(authority[(colon + 1)..], out int value))
        {
            return false;
        }

        port = value;
        return true;
    }

    /// <summary>Reads a port: 1 to 65535, decimal digits only.</summary>
    public static bool TryReadPort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }

    /// <summary>Whether the name is <c>localhost</c> or under it (RFC 6761: always loopback, whatever DNS says).</summary>
    public static bool IsLocalhostName(string host) =>
        host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);

    private static bool IsNumber(string label)
    {
        if (label.StartsWith("0x", StringComparison.Ordinal))
        {
            return label.Length == 2 || label.AsSpan(2).IndexOfAnyExcept("0123456789abcdef") < 0;
        }

        return label.AsSpan().IndexOfAnyExcept("0123456789") < 0;
    }

    /// <summary>inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.</summary>
    private static bool TryReadIPv4(string[] parts, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (parts.Length > 4)
        {
            return false;
        }

        var values = new ulong[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!TryReadIPv4Part(parts[i], out values[i]))
            {
                return false;
            }
        }

        ulong result = 0;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 255)
            {
                return false;
            }

            result |= values[i] << (8 * (3 - i));
        }

        ulong last = values[^1];
        int remainingBytes = 4 - (parts.Length - 1);
        if (last >= 1UL << (8 * remainingBytes))
        {
            return false;
        }

        result |= last;
        address = new IPAddress([(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result]);
        return true;
    }

    private static bool TryReadIPv4Part(string part, out ulong value)
    {
        value = 0;
        int radix = 10;
        string digits = part;
        if (part.StartsWith("0x", StringComparison.Ordinal))
        {
            radix = 16;
            digits = part[2..];
        }
        else if (part.Length > 1 && part[0] == '0')
        {
            radix = 8;
            digits = part[1..];
        }

        if (digits.Length > 12)
        {
            return false;
        }

        foreach (char c in digits)
        {
            int digit = c <= '9' ? c - '0' : c - 'a' + 10;
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            value = (value * (ulong)radix) + (ulong)digit;
        }

        return true;
    }
}
