using System.Net;
using System.Net.Sockets;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Decides whether git may connect to a host and port for a caller (<see cref="RepositoryAccess"/>): the host's port
/// must be the scheme's usual one, and every address the name resolves to must be public, unless the host is in
/// <see cref="RepositoryAccess.AllowedHosts"/> or private networks are allowed. Refusals say why, for the log only.
/// </summary>
internal sealed class DestinationPolicy
{
    private readonly List<AllowedHost> _allowed = [];
    private readonly bool _allowPrivate;

    public DestinationPolicy(RepositoryAccess access)
    {
        foreach (string entry in access.AllowedHosts)
        {
            if (AllowedHost.TryParse(entry, out AllowedHost allowed))
            {
                _allowed.Add(allowed);
            }
        }

        _allowPrivate = access.AllowPrivateNetworks;
    }

    public bool IsAllowlisted(string host, int port) => _allowed.Exists(a => a.Matches(host, port));

    /// <summary>What can be refused without DNS: the port, a <c>localhost</c> name, an address literal. Null: go on.</summary>
    public string? CheckWithoutResolving(string host, IPAddress? literal, int port, int usualPort)
    {
        if (IsAllowlisted(host, port))
        {
            return null;
        }

        if (port != usualPort)
        {
            return $"port {port} is not the usual {usualPort} and {host}:{port} is not an allowed host";
        }

        if (HostName.IsLocalhostName(host) && !_allowPrivate)
        {
            return $"{host} is a loopback name";
        }

        return literal is null ? null : CheckAddress(literal);
    }

    /// <summary>Null when git may connect to the address.</summary>
    public string? CheckAddress(IPAddress address)
    {
        if (NetworkAddresses.IsPublic(address, out string kind))
        {
            return null;
        }

        return _allowPrivate && NetworkAddresses.IsInternal(address) ? null : $"{address} is {kind}";
    }

    /// <summary>Resolves the host and checks every address; the addresses to connect to, or why not.</summary>
    public async Task<(IPAddress[] Addresses, string? Refusal)> ResolveAsync(string host, IPAddress? literal, int port, int usualPort, CancellationToken cancellationToken)
    {
        if (CheckWithoutResolving(host, literal, port, usualPort) is { } refusal)
        {
            return ([], refusal);
        }

        IPAddress[] addresses;
        if (literal is not null)
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                return ([], $"{host} could not be resolved ({ex.SocketErrorCode})");
            }

            if (addresses.Length == 0)
            {
                return ([], $"{host} has no addresses");
            }
        }

        if (IsAllowlisted(host, port))
        {
            return (addresses, null);
        }

        // Every address must pass, not just one: a name that also points at a private address is not a public host.
        foreach (IPAddress address in addresses)
        {
            if (CheckAddress(address) is { } refused)
            {
                return ([], $"{host} resolves to {refused}");
            }
        }

        return (addresses, null);
    }
}
