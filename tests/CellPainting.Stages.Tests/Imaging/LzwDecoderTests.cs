using System.Text;
using CellPainting.Stages.Imaging;

namespace CellPainting.Stages.Tests.Imaging;

public sealed class LzwDecoderTests
{
    private const int Clear = 256;
    private const int End = 257;

    [Test]
    public void Decodes_literals_table_codes_and_the_code_being_defined()
    {
        // A, B, then 258 = "AB", then 260 while it is being defined: the previous string plus its first byte, "ABA".
        byte[] output = new byte[7];

        bool decoded = LzwDecoder.TryDecode(Codes(Clear, 'A', 'B', 258, 260, End), output, out string problem);

        Assert.That((decoded, problem, Encoding.ASCII.GetString(output)), Is.EqualTo((true, string.Empty, "ABABABA")));
    }

    [Test]
    public void Stops_when_the_output_is_full_and_ignores_the_rest()
    {
        byte[] output = new byte[5];

        bool decoded = LzwDecoder.TryDecode(Codes(Clear, 'A', 'B', 258, 260, 'C', End), output, out _);

        Assert.That((decoded, Encoding.ASCII.GetString(output)), Is.EqualTo((true, "ABABA")));
    }

    [Test]
    public void Treats_the_end_of_the_input_as_the_end_of_information()
    {
        byte[] output = new byte[2];

        Assert.That(LzwDecoder.TryDecode(Codes(Clear, 'A', 'B'), output, out _), Is.True);
    }

    [Test]
    public void Rejects_a_code_beyond_the_table_naming_it()
    {
        bool decoded = LzwDecoder.TryDecode(Codes(Clear, 'A', 'B', 300, End), new byte[8], out string problem);

        Assert.That((decoded, problem), Is.EqualTo((false, "corrupted LZW data (code 300 with 259 table entries)")));
    }

    [Test]
    public void Rejects_a_table_code_right_after_a_clear()
    {
        bool decoded = LzwDecoder.TryDecode(Codes(Clear, 258, End), new byte[8], out string problem);

        Assert.That((decoded, problem), Is.EqualTo((false, "corrupted LZW data (code 258 right after a table clear)")));
    }

    [Test]
    public void Rejects_data_that_ends_before_the_output_is_full()
    {
        bool decoded = LzwDecoder.TryDecode(Codes(Clear, 'A', End), new byte[4], out string problem);

        Assert.That((decoded, problem), Is.EqualTo((false, "the LZW data ends after 1 of 4 bytes")));
    }

    [Test]
    public void Recognises_the_old_lsb_first_variant_as_libtiff_does()
    {
        Assert.That((LzwDecoder.IsOldStyle([0x00, 0x01]), LzwDecoder.IsOldStyle(Codes(Clear, 'A'))), Is.EqualTo((true, false)));
    }

    /// <summary>9-bit codes packed MSB first, as a fresh table reads them (all tests stay below code 511).</summary>
    private static byte[] Codes(params int[] codes)
    {
        var bytes = new List<byte>();
        int buffer = 0;
        int bits = 0;
        foreach (int code in codes)
        {
            buffer = (buffer << 9) | code;
            bits += 9;
            while (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        if (bits > 0)
        {
            bytes.Add((byte)(buffer << (8 - bits)));
        }

        return [.. bytes];
    }
}
