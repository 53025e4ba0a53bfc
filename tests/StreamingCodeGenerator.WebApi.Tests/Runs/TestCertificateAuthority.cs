using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// A certificate authority made for one test: its certificate as a PEM file (what git is told to trust through
/// <c>WebApi:Runs:RepositoryCaCertificates</c>), and a server certificate it signed for 127.0.0.1, ::1 and localhost.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly string _folder;

    private TestCertificateAuthority(string folder, string pemFile, X509Certificate2 serverCertificate)
    {
        _folder = folder;
        PemFile = pemFile;
        ServerCertificate = serverCertificate;
    }

    /// <summary>The authority's certificate, PEM encoded, in a temporary file.</summary>
    public string PemFile { get; }

    /// <summary>A server certificate with its private key, signed by the authority.</summary>
    public X509Certificate2 ServerCertificate { get; }

    public static TestCertificateAuthority Create()
    {
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=scg test authority", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        using RSA serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 signed = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(1), serial);
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(serverKey);
        X509Certificate2 server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);

        string folder = Path.Combine(Path.GetTempPath(), "scg-ca-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string pem = Path.Combine(folder, "authority.pem");
        File.WriteAllText(pem, ca.ExportCertificatePem() + "\n");
        return new TestCertificateAuthority(folder, pem, server);
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
