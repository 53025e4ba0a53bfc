using System.Net;

namespace StreamingCodeGeneration.RepoTransform.Tests.Repositories;

[Parallelizable(ParallelScope.All)]
public sealed class DestinationPolicyTests
{
    private static DestinationPolicy Policy(bool allowPrivate = false, params string[] hosts)
    {
        var access = new RepositoryAccess { AllowPrivateNetworks = allowPrivate };
        foreach (string host in hosts)
        {
            access.AllowedHosts.Add(host);
        }

        return new DestinationPolicy(access);
    }

    [TestCase("localhost", 443, "loopback name")]
    [TestCase("repo.localhost", 443, "loopback name")]
    [TestCase("github.com", 80, "port 80")]
    [TestCase("github.com", 22, "port 22")]
    public void CheckWithoutResolving_NameOrPort_IsRefusedBeforeAnyLookup(string host, int port, string reason) =>
        Policy().CheckWithoutResolving(host, null, port, 443).Should().Contain(reason);

    [Test]
    public async Task ResolveAsync_UnresolvableName_IsRefused()
    {
        (IPAddress[] addresses, string? refusal) = await Policy().ResolveAsync("no-such-host.invalid", null, 443, 443, CancellationToken.None);

        addresses.Should().BeEmpty();
        refusal.Should().Contain("could not be resolved");
    }

    [TestCase("127.0.0.1", "127.0.0.1", 8443, true)]
    [TestCase("127.0.0.1:8443", "127.0.0.1", 8443, true)]
    [TestCase("127.0.0.1:8443", "127.0.0.1", 8444, false)]
    [TestCase("[::1]:8443", "[::1]", 8443, true)]
    [TestCase("LOCALHOST", "localhost", 443, true)]
    [TestCase("0x7f.1", "127.0.0.1", 443, true)]
    [TestCase("git.internal", "other.internal", 443, false)]
    public void IsAllowlisted_Entry_MatchesTheCanonicalHostAndItsPort(string entry, string host, int port, bool allowed) =>
        Policy(false, entry).IsAllowlisted(host, port).Should().Be(allowed);

    [Test]
    public async Task ResolveAsync_AllowedHost_IsReachableOnLoopbackAndOnItsPort()
    {
        (IPAddress[] addresses, string? refusal) = await Policy(false, "127.0.0.1:8443").ResolveAsync("127.0.0.1", IPAddress.Loopback, 8443, 443, CancellationToken.None);

        refusal.Should().BeNull();
        addresses.Should().Equal(IPAddress.Loopback);
    }

    [Test]
    public void CheckAddress_PrivateNetworksAllowed_AllowsInternalButNeverUnspecifiedOrMulticast()
    {
        DestinationPolicy policy = Policy(allowPrivate: true);

        policy.CheckAddress(IPAddress.Parse("10.0.0.5")).Should().BeNull();
        policy.CheckAddress(IPAddress.Loopback).Should().BeNull();
        policy.CheckAddress(IPAddress.Parse("0.0.0.0")).Should().NotBeNull();
        policy.CheckAddress(IPAddress.Parse("224.0.0.1")).Should().NotBeNull();
        Policy().CheckAddress(IPAddress.Parse("10.0.0.5")).Should().Contain("private");
    }

    [TestCase("git.internal", true)]
    [TestCase("git.internal:8443", true)]
    [TestCase("[fd00::5]:443", true)]
    [TestCase("10.0.0.5", true)]
    [TestCase("", false)]
    [TestCase("host:99999", false)]
    [TestCase("fd00::5", false)]
    [TestCase("bad host", false)]
    [TestCase("https://git.internal", false)]
    public void IsValidHostEntry_Entry_SaysWhetherItCanBeUsed(string entry, bool valid) =>
        RepositoryAccess.IsValidHostEntry(entry).Should().Be(valid);
}
