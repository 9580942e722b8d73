using System.Text;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Tests.Torch;

public sealed class Crc32Tests
{
    [Test]
    public void The_check_value_of_123456789_is_CBF43926() =>
        Assert.That(Crc32.Append(0, "123456789"u8), Is.EqualTo(0xCBF43926u));

    [Test]
    public void An_empty_input_leaves_the_checksum_unchanged()
    {
        Assert.That(Crc32.Append(0, ReadOnlySpan<byte>.Empty), Is.Zero);
        Assert.That(Crc32.Append(0x12345678u, ReadOnlySpan<byte>.Empty), Is.EqualTo(0x12345678u));
    }

    [Test]
    public void The_zip_crc_of_torch_version_record_matches_the_one_torch_wrote() =>
        // Taken from the central directory of a file torch 1.13 saved: version "3\n" has CRC 0x55679ED1.
        Assert.That(Crc32.Append(0, Encoding.ASCII.GetBytes("3\n")), Is.EqualTo(0x55679ED1u));

    [Test]
    public void Slicing_by_eight_agrees_with_the_bitwise_definition_for_every_length_up_to_100()
    {
        var random = new Random(20240611);
        var bytes = new byte[100];
        random.NextBytes(bytes);
        for (int length = 0; length <= bytes.Length; length++)
        {
            var data = bytes.AsSpan(0, length);
            Assert.That(Crc32.Append(0, data), Is.EqualTo(BitwiseCrc(data)), $"length {length}");
        }
    }

    [Test]
    public void Appending_in_pieces_gives_the_same_checksum_as_one_pass()
    {
        var bytes = new byte[1000];
        new Random(7).NextBytes(bytes);
        uint whole = Crc32.Append(0, bytes);
        uint pieces = Crc32.Append(Crc32.Append(Crc32.Append(0, bytes.AsSpan(0, 3)), bytes.AsSpan(3, 510)), bytes.AsSpan(513));
        Assert.That(pieces, Is.EqualTo(whole));
    }

    // The textbook shift-and-xor form, one bit at a time: an independent statement of the polynomial.
    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
