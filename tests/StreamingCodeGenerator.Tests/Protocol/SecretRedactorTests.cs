using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>What the redactor removes from server strings, and what it must leave alone.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SecretRedactorTests
{
    private const string OpenAIKey = "sk-proj-Abc123Def456Ghi789Jkl012";
    private const string AzureKey = "0123456789abcdef0123456789abcdef";

    private static readonly SecretRedactor OpenAI = new(OpenAIKey);
    private static readonly SecretRedactor Azure = new(AzureKey);

    [TestCase("Incorrect API key provided: " + OpenAIKey + ".", "Incorrect API key provided: ***.")]
    [TestCase("key=" + OpenAIKey + "&x=1", "key=***&x=1")]
    [TestCase(OpenAIKey + OpenAIKey, "******")]
    [TestCase("\"" + OpenAIKey + "\"", "\"***\"")]
    public void Redact_ExactKeyAnywhere_IsMasked(string text, string expected) =>
        OpenAI.Redact(text).Should().Be(expected);

    [TestCase("Access denied for " + AzureKey + " on this resource", "Access denied for *** on this resource")]
    [TestCase("x-" + AzureKey, "x-***")]
    public void Redact_ConfiguredAzureHexKey_IsMasked(string text, string expected) =>
        Azure.Redact(text).Should().Be(expected);

    [TestCase("the key 456789ab was refused", "the key *** was refused", TestName = "Redact_KeyFragmentOfEightCharacters_IsMasked")]
    [TestCase("ends with 89abcdef", "ends with ***", TestName = "Redact_KeySuffixFragment_IsMasked")]
    [TestCase("starts with 01234567 and more", "starts with *** and more", TestName = "Redact_KeyPrefixFragment_IsMasked")]
    [TestCase("short 456789a piece", "short 456789a piece", TestName = "Redact_KeyFragmentOfSevenCharacters_IsKept")]
    [TestCase("embedded zz456789abzz", "embedded zz456789abzz", TestName = "Redact_FragmentInsideALongerToken_IsKept")]
    public void Redact_KeyFragments(string text, string expected) =>
        Azure.Redact(text).Should().Be(expected);

    [TestCase("Incorrect key 0123****cdef provided", "Incorrect key *** provided", TestName = "Redact_MaskedEchoWithKeyPrefixAndSuffix_IsMasked")]
    [TestCase("Incorrect key 0123******************", "Incorrect key ***", TestName = "Redact_MaskedEchoWithKeyPrefixOnly_IsMasked")]
    [TestCase("key ************************cdef.", "key ***.", TestName = "Redact_MaskedEchoWithKeySuffixOnly_IsMasked")]
    [TestCase("key 012****def", "key 012****def", TestName = "Redact_MaskedEchoWithEndsShorterThanFour_IsKept")]
    [TestCase("key zzzz****yyyy", "key zzzz****yyyy", TestName = "Redact_MaskedEchoOfAnotherKey_IsKept")]
    [TestCase("key 0123**cdef", "key 0123**cdef", TestName = "Redact_TwoStarsAreNotAMask_IsKept")]
    public void Redact_MaskedEchoes(string text, string expected) =>
        Azure.Redact(text).Should().Be(expected);

    [TestCase("leaked sk-abc here", "leaked *** here")]
    [TestCase("sk-proj-someoneElsesKey_0123-xyz", "***")]
    [TestCase("short sk-ab stays", "short sk-ab stays")]
    [TestCase("task-abcdef and risk-free", "task-abcdef and risk-free")]
    [TestCase("(sk-abcdef)", "(***)")]
    [TestCase("key sk-abc.", "key ***.")]
    [TestCase("key sk-abc...", "key ***...")]
    [TestCase("key: sk-abcdef, again sk-ghijkl!", "key: ***, again ***!")]
    [TestCase("'sk-abcdef'", "'***'")]
    public void Redact_AnySkKey_IsMaskedEvenWhenNotConfigured(string text, string expected) =>
        SecretRedactor.Default.Redact(text).Should().Be(expected);

    [TestCase("api_key=sk-abcdef123456", "api_key=***", TestName = "Redact_SkKeyAfterEquals_IsMasked")]
    [TestCase("https://proxy.example/sk-abcdef123456/v1", "https://proxy.example/***/v1", TestName = "Redact_SkKeyAfterSlash_IsMasked")]
    public void Redact_SkKeyGluedToTokenCharacters(string text, string expected) =>
        SecretRedactor.Default.Redact(text).Should().Be(expected);

    [TestCase("Authorization: Bearer abcdefgh12345", "Authorization: Bearer ***")]
    [TestCase("bearer abcdefgh12345", "bearer ***")]
    [TestCase("BEARER   abcdefgh12345 rest", "BEARER   *** rest")]
    [TestCase("token=Bearer abcdefgh12345", "token=Bearer ***")]
    [TestCase("Bearer short", "Bearer short")]
    [TestCase("Forbearer abcdefgh12345", "Forbearer abcdefgh12345")]
    [TestCase("Bearer2 abcdefgh12345", "Bearer2 abcdefgh12345")]
    [TestCase("Bearer", "Bearer")]
    public void Redact_BearerToken_IsMaskedOnlyAfterTheWordBearer(string text, string expected) =>
        SecretRedactor.Default.Redact(text).Should().Be(expected);

    [TestCase("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl expired", "token *** expired")]
    [TestCase("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl.", "***.")]
    [TestCase("eyJhbGciOiJIUzI1NiJ9 only one part", "eyJhbGciOiJIUzI1NiJ9 only one part")]
    [TestCase("eyJ.a.b", "eyJ.a.b")]
    public void Redact_JsonWebToken_IsMasked(string text, string expected) =>
        SecretRedactor.Default.Redact(text).Should().Be(expected);

    [TestCase("The model `gpt-4o-mini-2024-07-18` does not exist")]
    [TestCase("chatcmpl-AbCdEf0123456789")]
    [TestCase("request 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 failed")]
    [TestCase("Rate limit reached for requests per min (RPM): Limit 3, Used 3.")]
    [TestCase("")]
    public void Redact_TextWithoutSecret_ReturnsTheSameInstance(string text)
    {
        OpenAI.Redact(text).Should().BeSameAs(text);
        Azure.Redact(text).Should().BeSameAs(text);
        SecretRedactor.Default.Redact(text).Should().BeSameAs(text);
    }

    [Test]
    public void Redact_Null_IsNull() => OpenAI.Redact(null).Should().BeNull();

    [TestCase("***")]
    [TestCase("Bearer ***")]
    [TestCase("key *** and ***.")]
    [TestCase("******")]
    public void Redact_TheMaskItself_IsNeverRedactedAgain(string text)
    {
        OpenAI.Redact(text).Should().BeSameAs(text);
        Azure.Redact(text).Should().BeSameAs(text);
    }

    [TestCase("Incorrect API key provided: " + OpenAIKey + ". Bearer abcdefghijkl, sk-other123 and 0123****cdef")]
    [TestCase("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl and " + AzureKey)]
    public void Redact_Twice_IsTheSameAsOnce(string text)
    {
        foreach (SecretRedactor redactor in new[] { OpenAI, Azure, SecretRedactor.Default })
        {
            string once = redactor.Redact(text)!;
            redactor.Redact(once).Should().Be(once);
        }
    }

    [TestCase(null)]
    [TestCase("")]
    public void Constructor_NoKey_BehavesAsDefault(string? key)
    {
        var redactor = new SecretRedactor(key);

        redactor.Redact("a 456789ab and sk-abcdef").Should().Be("a 456789ab and ***");
    }

    [Test]
    public void Redact_ShortConfiguredKey_IsReplacedWhereverItOccurs()
    {
        var redactor = new SecretRedactor("local");

        redactor.Redact("key local rejected, locale kept").Should().Be("key *** rejected, ***e kept", "the exact key is replaced wherever it occurs");
    }

    /// <summary>Keys whose encodings are echoed: an OpenAI key, an Azure hex key, a long project key, and one whose base64 holds + and /.</summary>
    private static readonly string[] EchoedKeys =
    [
        OpenAIKey,
        AzureKey,
        "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQrStUvWxYz012345",
        "k3y>>??~~with+base64/chars",
    ];

    public static IEnumerable<TestCaseData> EncodedEchoes()
    {
        foreach (string key in EchoedKeys)
        {
            string name = key.Length == 32 && !key.StartsWith("sk-", StringComparison.Ordinal) ? "hex key" : key[..7];
            foreach ((string shape, string encoded) in Shapes(key))
            {
                yield return new TestCaseData(key, encoded).SetName($"Redact_KeyEcho_{shape}_IsMaskedWithItsRun({name})");
            }
        }
    }

    public static IEnumerable<(string Shape, string Encoded)> Shapes(string key)
    {
        // Every byte alignment at the start (0, 1, 2 bytes before the key) and at the end.
        string[] prefixes = ["", "x", "xy", "Basic user:", "Bearer ", "{\"api_key\": \""];
        string[] suffixes = ["", "z", "\"}"];
        foreach (string prefix in prefixes)
        {
            foreach (string suffix in suffixes)
            {
                string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + key + suffix));
                string label = $"[{prefix}KEY{suffix}]";
                yield return ("base64 " + label, base64);
                yield return ("base64 unpadded " + label, base64.TrimEnd('='));
                yield return ("base64url " + label, base64.Replace('+', '-').Replace('/', '_'));
                yield return ("base64url unpadded " + label, base64.Replace('+', '-').Replace('/', '_').TrimEnd('='));
            }
        }

        yield return ("hex lower", Convert.ToHexString(Encoding.UTF8.GetBytes(key)).ToLowerInvariant());
        yield return ("hex upper", Convert.ToHexString(Encoding.UTF8.GetBytes(key)));
        yield return ("hex of Bearer KEY", Convert.ToHexString(Encoding.UTF8.GetBytes("Bearer " + key)).ToLowerInvariant());
    }

    [TestCaseSource(nameof(EncodedEchoes))]
    public void Redact_EncodedKeyEcho_IsMaskedWithItsRun(string key, string encoded)
    {
        var redactor = new SecretRedactor(key);

        string redacted = redactor.Redact($"upstream said: {encoded} (rejected), again:{encoded}.")!;

        redacted.Should().Be("upstream said: *** (rejected), again:***.");
    }

    [Test]
    public void Redact_EncodedEchoOfAnotherKey_IsKeptAsTheSameInstance()
    {
        string text = "token " + Convert.ToBase64String(Encoding.UTF8.GetBytes("Bearer " + AzureKey)) + " and " + Convert.ToHexString(Encoding.UTF8.GetBytes(AzureKey));

        OpenAI.Redact(text).Should().BeSameAs(text);
    }

    [Test]
    public void Redact_ShortKey_HasNoEncodedForms()
    {
        var redactor = new SecretRedactor("local");
        string text = "bG9jYWw= 6C6F63616C";

        redactor.Redact(text).Should().BeSameAs(text, "a 5-character key's encodings are too short to tell from ordinary text");
    }

    [TestCase("Rate limit reached for requests per min (RPM): Limit 3, Used 3.")]
    [TestCase("chatcmpl-AbCdEf0123456789 MDEyMzQ1Njc4OWFiY2RlZg 3031323334")]
    public void Redact_TextWithoutAnEcho_AllocatesNothing(string text)
    {
        var redactors = new[] { OpenAI, Azure, new SecretRedactor(EchoedKeys[2]) };
        foreach (SecretRedactor redactor in redactors)
        {
            redactor.Redact(text);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (SecretRedactor redactor in redactors)
        {
            for (int i = 0; i < 100; i++)
            {
                redactor.Redact(text);
            }
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
