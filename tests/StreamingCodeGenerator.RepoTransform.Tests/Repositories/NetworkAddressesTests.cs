using System.Net;

namespace StreamingCodeGeneration.RepoTransform.Tests.Repositories;

[Parallelizable(ParallelScope.All)]
public sealed class NetworkAddressesTests
{
    [TestCase("8.8.8.8")]
    [TestCase("140.82.112.3")]
    [TestCase("100.63.255.255")]
    [TestCase("100.128.0.0")]
    [TestCase("172.15.255.255")]
    [TestCase("172.32.0.0")]
    [TestCase("2606:4700::1111")]
    [TestCase("2001:4860:4860::8888")]
    [TestCase("::ffff:8.8.8.8")]
    [TestCase("64:ff9b::808:808")]
    [TestCase("2002:808:808::1")]
    public void IsPublic_PublicUnicast_IsTrue(string address) =>
        NetworkAddresses.IsPublic(IPAddress.Parse(address), out _).Should().BeTrue();

    [TestCase("127.0.0.1", true)]
    [TestCase("127.255.255.254", true)]
    [TestCase("10.1.2.3", true)]
    [TestCase("172.16.0.1", true)]
    [TestCase("172.31.255.255", true)]
    [TestCase("192.168.0.1", true)]
    [TestCase("100.64.0.1", true)]
    [TestCase("100.127.255.255", true)]
    [TestCase("169.254.169.254", true)]
    [TestCase("::1", true)]
    [TestCase("fe80::1", true)]
    [TestCase("fd12:3456::1", true)]
    [TestCase("fc00::1", true)]
    [TestCase("fec0::1", true)]
    [TestCase("::ffff:127.0.0.1", true)]
    [TestCase("::ffff:10.0.0.1", true)]
    [TestCase("::ffff:169.254.169.254", true)]
    [TestCase("64:ff9b::7f00:1", true)]
    [TestCase("2002:c0a8:0101::1", true)]
    [TestCase("0.0.0.0", false)]
    [TestCase("0.1.2.3", false)]
    [TestCase("::", false)]
    [TestCase("::127.0.0.1", false)]
    [TestCase("224.0.0.1", false)]
    [TestCase("239.255.255.250", false)]
    [TestCase("255.255.255.255", false)]
    [TestCase("240.0.0.1", false)]
    [TestCase("192.0.2.1", false)]
    [TestCase("198.51.100.1", false)]
    [TestCase("203.0.113.1", false)]
    [TestCase("198.18.0.1", false)]
    [TestCase("192.0.0.1", false)]
    [TestCase("192.88.99.1", false)]
    [TestCase("ff02::1", false)]
    [TestCase("2001:db8::1", false)]
    [TestCase("2001::1", false)]
    [TestCase("64:ff9b:1::1", false)]
    [TestCase("100::1", false)]
    [TestCase("3fff::1", false)]
    public void IsPublic_SpecialPurpose_IsFalseAndOnlyInternalOnesCanBeAllowed(string address, bool isInternal)
    {
        IPAddress parsed = IPAddress.Parse(address);

        NetworkAddresses.IsPublic(parsed, out string kind).Should().BeFalse();
        kind.Should().NotBe("public");
        NetworkAddresses.IsInternal(parsed).Should().Be(isInternal, kind);
    }
}
