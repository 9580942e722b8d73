using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Tests.Torch;

public sealed class TensorPickleTests
{
    // data.pkl records of files torch 1.13 saved, hex-dumped with Python's zipfile.
    private const string Torch113Site384 =
        "800263746F7263682E5F7574696C730A5F72656275696C645F74656E736F725F76320A71002828580700000073746F72616765710163746F7263680A466C6F617453746F726167650A71025801000000307103580300000063707571044A00400B00747105514B004B054D80014D80018771064A004002004D80014B018771078963636F6C6C656374696F6E730A4F726465726564446963740A71082952710974710A52710B2E";

    private const string Torch113Scalar =
        "800263746F7263682E5F7574696C730A5F72656275696C645F74656E736F725F76320A71002828580700000073746F72616765710163746F7263680A466C6F617453746F726167650A71025801000000307103580300000063707571044B01747105514B0029298963636F6C6C656374696F6E730A4F726465726564446963740A7106295271077471085271092E";

    private const string Torch113Rank4 =
        "800263746F7263682E5F7574696C730A5F72656275696C645F74656E736F725F76320A71002828580700000073746F72616765710163746F7263680A466C6F617453746F726167650A71025801000000307103580300000063707571044D201C747105514B00284B024B034B044D2C01747106284D100E4DB0044D2C014B017471078963636F6C6C656374696F6E730A4F726465726564446963740A71082952710974710A52710B2E";

    [Test]
    public void The_pickle_of_a_two_element_vector_is_byte_for_byte_the_reference_sequence()
    {
        // pt-dinov3-ort.md §1.5: torch.tensor([1., 2.]).
        byte[] expected =
        [
            0x80, 0x02,
            .. "ctorch._utils\n_rebuild_tensor_v2\n"u8, 0x71, 0x00,
            0x28, 0x28,
            0x58, 0x07, 0x00, 0x00, 0x00, .. "storage"u8, 0x71, 0x01,
            .. "ctorch\nFloatStorage\n"u8, 0x71, 0x02,
            0x58, 0x01, 0x00, 0x00, 0x00, .. "0"u8, 0x71, 0x03,
            0x58, 0x03, 0x00, 0x00, 0x00, .. "cpu"u8, 0x71, 0x04,
            0x4B, 0x02, 0x74, 0x71, 0x05, 0x51,
            0x4B, 0x00,
            0x4B, 0x02, 0x85, 0x71, 0x06,
            0x4B, 0x01, 0x85, 0x71, 0x07,
            0x89,
            .. "ccollections\nOrderedDict\n"u8, 0x71, 0x08, 0x29, 0x52, 0x71, 0x09,
            0x74, 0x71, 0x0A, 0x52, 0x71, 0x0B, 0x2E,
        ];

        Assert.That(TensorPickle.Write([2], 2), Is.EqualTo(expected));
    }

    [Test]
    public void The_pickle_of_a_5x384x384_site_uses_BININT_and_BININT2_as_torch_does() =>
        Assert.That(TensorPickle.Write([5, 384, 384], 5 * 384 * 384), Is.EqualTo(Convert.FromHexString(Torch113Site384)));

    [Test]
    public void A_scalar_has_empty_size_and_stride_tuples_that_take_no_memo_slot() =>
        Assert.That(TensorPickle.Write([], 1), Is.EqualTo(Convert.FromHexString(Torch113Scalar)));

    [Test]
    public void A_rank_four_shape_is_pickled_as_MARK_items_TUPLE() =>
        Assert.That(TensorPickle.Write([2, 3, 4, 300], 2 * 3 * 4 * 300), Is.EqualTo(Convert.FromHexString(Torch113Rank4)));

    [Test]
    public void Reading_torchs_own_pickle_gives_its_storage_shape_and_strides()
    {
        var header = TensorPickle.Read(Convert.FromHexString(Torch113Rank4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(header.StorageKey, Is.EqualTo("0"));
            Assert.That(header.Location, Is.EqualTo("cpu"));
            Assert.That(header.StorageElementCount, Is.EqualTo(7200));
            Assert.That(header.StorageOffset, Is.Zero);
            Assert.That(header.Size, Is.EqualTo(new long[] { 2, 3, 4, 300 }));
            Assert.That(header.Stride, Is.EqualTo(new long[] { 3600, 1200, 300, 1 }));
        }
    }

    [TestCase(new int[0])]
    [TestCase(new[] { 7 })]
    [TestCase(new[] { 5, 1024 })]
    [TestCase(new[] { 5, 0, 3 })]
    [TestCase(new[] { 5, 224, 224 })]
    [TestCase(new[] { 1, 2, 3, 4, 5 })]
    public void Reading_what_was_written_returns_the_same_shape(int[] shape)
    {
        long count = shape.Aggregate(1L, (product, dimension) => product * dimension);

        var header = TensorPickle.Read(TensorPickle.Write(shape, count));

        Assert.That(header.Size, Is.EqualTo(shape.Select(d => (long)d).ToArray()));
        Assert.That(header.StorageElementCount, Is.EqualTo(count));
    }

    [Test]
    public void Strides_treat_an_empty_dimension_as_one_like_torch() =>
        Assert.That(TensorPickle.ContiguousStrides([5, 0, 3]), Is.EqualTo(new long[] { 3, 3, 1 }));

    [Test]
    public void A_pickle_without_memo_puts_is_read_too()
    {
        byte[] withoutMemo = StripBinPuts(TensorPickle.Write([5, 3], 15));

        Assert.That(TensorPickle.Read(withoutMemo).Size, Is.EqualTo(new long[] { 5, 3 }));
    }

    [Test]
    public void A_double_tensor_is_rejected_naming_the_storage_type()
    {
        byte[] pickle = TensorPickle.Write([2], 2);
        int at = pickle.AsSpan().IndexOf("FloatStorage"u8);
        byte[] doublePickle = [.. pickle[..at], .. "DoubleStorage"u8, .. pickle[(at + "FloatStorage".Length)..]];

        var error = Assert.Throws<InvalidDataException>(() => TensorPickle.Read(doublePickle));
        Assert.That(error!.Message, Does.Contain("torch.FloatStorage").And.Contain("DoubleStorage"));
    }

    [Test]
    public void A_truncated_pickle_is_rejected_as_ending_early()
    {
        byte[] pickle = TensorPickle.Write([5, 3], 15);

        var error = Assert.Throws<InvalidDataException>(() => TensorPickle.Read(pickle.AsSpan(0, pickle.Length - 3)));
        Assert.That(error!.Message, Does.Contain("ends early"));
    }

    [Test]
    public void Bytes_after_STOP_are_rejected()
    {
        byte[] pickle = [.. TensorPickle.Write([5, 3], 15), 0x2E];

        Assert.That(() => TensorPickle.Read(pickle), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("follow STOP"));
    }

    // Removes every BINPUT (q n) by walking the known opcode layout of this pickle.
    private static byte[] StripBinPuts(byte[] pickle)
    {
        var kept = new List<byte>();
        int at = 0;
        while (at < pickle.Length)
        {
            byte op = pickle[at];
            int length = op switch
            {
                0x80 or 0x71 or 0x4B => 2,
                0x4D => 3,
                0x4A => 5,
                0x58 => 5 + BitConverter.ToInt32(pickle, at + 1),
                0x63 => Array.IndexOf(pickle, (byte)'\n', Array.IndexOf(pickle, (byte)'\n', at) + 1) + 1 - at,
                _ => 1,
            };
            if (op != 0x71)
            {
                kept.AddRange(pickle.AsSpan(at, length));
            }

            at += length;
        }

        return [.. kept];
    }
}
