using System.Net;
using System.Net.Sockets;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Tells a public unicast address from the ones a service must not reach for a caller: loopback, private, shared,
/// link-local, unique-local, unspecified, multicast, broadcast, documentation, benchmarking and reserved ranges (IANA's
/// special-purpose registries), with an IPv4 address inside an IPv6 one (mapped, compatible, NAT64, 6to4) judged as
/// the IPv4 address it carries.
/// </summary>
internal static class NetworkAddresses
{
    /// <summary>Whether the address is public unicast; when not, <paramref name="kind"/> says what it is, for the log.</summary>
    public static bool IsPublic(IPAddress address, out string kind) => Classify(address, out kind) == AddressScope.Public;

    /// <summary>
    /// Whether an address a network owner may open deliberately (<see cref="RepositoryAccess.AllowPrivateNetworks"/>):
    /// loopback, private, shared, link-local, unique-local. Unspecified, multicast, broadcast and reserved never are.
    /// </summary>
    public static bool IsInternal(IPAddress address) => Classify(address, out _) == AddressScope.Internal;

    private static AddressScope Classify(IPAddress address, out string kind)
    {
        bool isPublic = ClassifyCore(address, out kind);
        return isPublic ? AddressScope.Public
            : kind is "loopback" or "link-local" or "unique-local" or "site-local" || kind.StartsWith("private", StringComparison.Ordinal)
                || kind.StartsWith("shared", StringComparison.Ordinal) ? AddressScope.Internal
            : AddressScope.Unusable;
    }

    private static bool ClassifyCore(IPAddress address, out string kind)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address.GetAddressBytes(), out kind);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            kind = "not an IP address";
            return false;
        }

        byte[] b = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicV4(b.AsSpan(12, 4), out kind);
        }

        // ::/96 (unspecified, loopback and the deprecated IPv4-compatible form).
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            kind = IPAddress.IPv6Loopback.Equals(address) ? "loopback" : "unspecified or IPv4-compatible IPv6";
            return false;
        }

        // 64:ff9b::/96 NAT64 carries an IPv4 address; 64:ff9b:1::/48 is for local use.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            if (b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            {
                return IsPublicV4(b.AsSpan(12, 4), out kind);
            }

            kind = "local-use NAT64";
            return false;
        }

        // Only global unicast (2000::/3) is public.
        if ((b[0] & 0xE0) != 0x20)
        {
            kind = (b[0], b[1] & 0xC0) switch
            {
                (0xFF, _) => "multicast",
                (0xFE, 0x80) => "link-local",
                (0xFE, 0xC0) => "site-local",
                _ when (b[0] & 0xFE) == 0xFC => "unique-local",
                _ => "reserved IPv6",
            };
            return false;
        }

        // 2002::/16 6to4 carries an IPv4 address in its next 32 bits.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublicV4(b.AsSpan(2, 4), out kind);
        }

        // 2001::/23 IETF protocol assignments (Teredo 2001::/32 among them), 2001:db8::/32 and 3fff::/20 documentation.
        if ((b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
            || (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xF0) == 0))
        {
            kind = "special-purpose IPv6";
            return false;
        }

        kind = "public";
        return true;
    }

    private enum AddressScope
    {
        Public,
        Internal,
        Unusable,
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> b, out string kind)
    {
        kind = (b[0], b[1], b[2]) switch
        {
            (0, _, _) => "'this network' (0.0.0.0/8)",
            (10, _, _) => "private (10.0.0.0/8)",
            (100, >= 64 and <= 127, _) => "shared address space (100.64.0.0/10)",
            (127, _, _) => "loopback",
            (169, 254, _) => "link-local",
            (172, >= 16 and <= 31, _) => "private (172.16.0.0/12)",
            (192, 0, 0) => "IETF protocol assignments (192.0.0.0/24)",
            (192, 0, 2) => "documentation",
            (192, 88, 99) => "6to4 relay anycast",
            (192, 168, _) => "private (192.168.0.0/16)",
            (198, 18 or 19, _) => "benchmarking",
            (198, 51, 100) => "documentation",
            (203, 0, 113) => "documentation",
            (>= 224 and <= 239, _, _) => "multicast",
            (>= 240, _, _) => "reserved or broadcast",
            _ => "public",
        };
        return kind == "public";
    }
}
