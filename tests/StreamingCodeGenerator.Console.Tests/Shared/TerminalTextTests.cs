using System.Text;

namespace StreamingCodeGeneration.Samples.Console.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class TerminalTextTests
{
    [TestCase("\u001b]0;title\u0007", "^[]0;title^G")]
    [TestCase("\u001b]52;c;cHduZWQ=\u001b\\", "^[]52;c;cHduZWQ=^[\\")]
    [TestCase("\u001b[2J\u001b[H", "^[[2J^[[H")]
    [TestCase("\u009b31m\u0090q\u009c\u009d0;x\u0007\u009f", "\\u009B31m\\u0090q\\u009C\\u009D0;x^G\\u009F")]
    [TestCase("a\bb\u007f\u0000\u001f\f\v", "a^Hb^?^@^_^L^K")]
    [TestCase("over\rwritten", "over^Mwritten")]
    [TestCase("ends with\r", "ends with^M")]
    [TestCase("crlf\r\nkept\r\n", "crlf\r\nkept\r\n")]
    [TestCase("\r\r\n", "^M\r\n")]
    [TestCase("rlo\u202Eevil\u202C lri\u2066x\u2069 lre\u202Ay rle\u202Bz lro\u202Dw fsi\u2068v rli\u2067u", "rlo\\u202Eevil\\u202C lri\\u2066x\\u2069 lre\\u202Ay rle\\u202Bz lro\\u202Dw fsi\\u2068v rli\\u2067u")]
    public void MakeVisible_ActiveControls_AreWrittenVisibly(string text, string visible)
    {
        TerminalText.MakeVisible(text).Should().Be(visible);
    }

    [TestCase("plain text, tabs\tand\nnew lines, ünïcödé, 中文, emoji 🎉, Arabic مرحبا, Hebrew שלום, NBSP\u00a0, LRM\u200E, ZWJ\u200D")]
    [TestCase("")]
    public void MakeVisible_PrintableText_IsTheSameInstance(string text)
    {
        TerminalText.MakeVisible(text).Should().BeSameAs(text);
    }

    [Test]
    public void IsActive_EveryBmpCharacter_OnlyControlsAndBidiEmbeddingsOverridesAndIsolates()
    {
        var active = new List<int>();
        for (int c = 0; c <= 0xFFFF; c++)
        {
            if (TerminalText.IsActive((char)c))
            {
                active.Add(c);
            }
        }

        int[] expected =
        [
            .. Enumerable.Range(0, 0x20).Where(c => c is not '\t' and not '\n' and not '\r'),
            .. Enumerable.Range(0x7F, 0x21),
            .. Enumerable.Range(0x202A, 5),
            .. Enumerable.Range(0x2066, 4),
        ];
        active.Should().Equal(expected);
    }

    [Test]
    public void AppendVisible_EveryC0Control_IsCaretNotation()
    {
        var builder = new StringBuilder();
        for (char c = '\0'; c < ' '; c++)
        {
            if (c is not '\t' and not '\n')
            {
                TerminalText.AppendVisible(builder, c);
            }
        }

        builder.ToString().Should().Be("^@^A^B^C^D^E^F^G^H^K^L^M^N^O^P^Q^R^S^T^U^V^W^X^Y^Z^[^\\^]^^^_");
    }
}
