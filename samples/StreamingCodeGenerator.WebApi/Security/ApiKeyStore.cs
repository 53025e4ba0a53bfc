using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Hosting;

namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>
/// The service's own API keys, held as SHA-256 hashes and compared in constant time. A matched key is known by its
/// position (<c>key-0</c>, <c>key-1</c>…), never by its text: that name is what rate limits and logs see.
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly byte[][] _hashes;

    public ApiKeyStore(IOptions<WebApiOptions> options) =>
        _hashes = [.. options.Value.ApiKeys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim())))];

    public bool IsEnabled => _hashes.Length > 0;

    /// <summary>Returns the name of the key presented, or <see langword="null"/> when it is not one of ours.</summary>
    public string? Match(string presented)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim()));
        string? name = null;
        for (int i = 0; i < _hashes.Length; i++)
        {
            // Every key is compared, so the time taken says nothing about which matched.
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
            {
                name = "key-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return name;
    }
}
