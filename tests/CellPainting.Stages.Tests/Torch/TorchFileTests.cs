using System.Buffers.Binary;
using System.Text;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Tests.Torch;

public sealed class TorchFileTests
{
    private static readonly string[] TorchSaveRecordOrder =
        ["data.pkl", ".format_version", ".storage_alignment", "byteorder", "data/0", "version", ".data/serialization_id"];

    [Test]
    public void A_written_site_tensor_reads_back_with_its_prefix_shape_and_values()
    {
        float[] values = Sequence(5 * 8 * 8);

        var tensor = TorchFile.ReadFloat32(new MemoryStream(Write("r01c01f01", [5, 8, 8], values)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tensor.RecordPrefix, Is.EqualTo("r01c01f01"));
            Assert.That(tensor.Shape, Is.EqualTo(new[] { 5, 8, 8 }));
            Assert.That(tensor.Data.ToArray(), Is.EqualTo(values));
        }
    }

    [Test]
    public void Writing_the_same_tensor_twice_gives_identical_bytes()
    {
        float[] values = Sequence(5 * 3);
        byte[] first = Write("r02c03f04", [5, 3], values);
        byte[] second = Write("r02c03f04", [5, 3], values);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void The_file_stem_changes_the_bytes_as_torch_save_does()
    {
        byte[] underA = Write("a", [2], [1f, 2f]);
        byte[] underB = Write("b", [2], [1f, 2f]);

        Assert.That(underB, Is.Not.EqualTo(underA));
    }

    [Test]
    public void Records_come_in_the_order_a_current_torch_save_writes_them_under_the_stem_folder()
    {
        var reader = new TorchZipReader(new MemoryStream(Write("r01c01f01", [5, 3], Sequence(15))));

        Assert.That(reader.Entries.Select(e => e.Name), Is.EqualTo(TorchSaveRecordOrder.Select(n => "r01c01f01/" + n)));
    }

    [Test]
    public void The_small_records_hold_torchs_fixed_texts()
    {
        byte[] file = Write("x", [2], [1f, 2f]);
        var reader = new TorchZipReader(new MemoryStream(file));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RecordText(reader, ".format_version"), Is.EqualTo("1"));
            Assert.That(RecordText(reader, ".storage_alignment"), Is.EqualTo("64"));
            Assert.That(RecordText(reader, "byteorder"), Is.EqualTo("little"));
            Assert.That(RecordText(reader, "version"), Is.EqualTo("3\n"));
        }
    }

    [Test]
    public void Every_record_starts_its_data_on_a_64_byte_boundary_by_FB_padding([Values("x", "r01c01f01", "a-much-longer-file-stem")] string stem)
    {
        byte[] file = Write(stem, [5, 8, 8], Sequence(5 * 8 * 8));
        var reader = new TorchZipReader(new MemoryStream(file));

        foreach (var entry in reader.Entries)
        {
            var local = file.AsSpan((int)entry.LocalHeaderOffset);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(local[26..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
            var extra = local.Slice(30 + nameLength, extraLength);
            long start = entry.LocalHeaderOffset + 30 + nameLength + 4;
            int expectedPadding = (int)((64 - (start % 64)) % 64);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(local), Is.EqualTo(0x04034B50u), entry.Name);
                Assert.That(Encoding.ASCII.GetString(extra[..2]), Is.EqualTo("FB"), entry.Name);
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]), Is.EqualTo(expectedPadding), entry.Name);
                Assert.That(extraLength, Is.EqualTo(expectedPadding + 4), entry.Name);
                Assert.That(extra[4..].ToArray(), Is.All.EqualTo((byte)'Z'), entry.Name);
                Assert.That((entry.LocalHeaderOffset + 30 + nameLength + extraLength) % 64, Is.Zero, entry.Name);
            }
        }
    }

    [Test]
    public void Local_headers_defer_crc_and_sizes_to_a_data_descriptor_with_zero_time_and_date()
    {
        byte[] file = Write("x", [2], [1f, 2f]);
        var reader = new TorchZipReader(new MemoryStream(file));

        foreach (var entry in reader.Entries)
        {
            var local = file.AsSpan((int)entry.LocalHeaderOffset);
            int dataStart = (int)entry.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(local[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
            var descriptor = file.AsSpan(dataStart + (int)entry.Size, 16);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(local[6..]), Is.EqualTo(0x0808), entry.Name);
                Assert.That(local.Slice(8, 18).ToArray(), Is.All.Zero, entry.Name);
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(descriptor), Is.EqualTo(0x08074B50u), entry.Name);
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(descriptor[4..]), Is.EqualTo(entry.Crc), entry.Name);
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(descriptor[8..]), Is.EqualTo(entry.Size), entry.Name);
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(descriptor[12..]), Is.EqualTo(entry.Size), entry.Name);
            }
        }
    }

    [Test]
    public void The_archive_ends_with_a_zip64_record_its_locator_and_the_classic_end_record()
    {
        byte[] file = Write("x", [2], [1f, 2f]);
        var end = file.AsSpan(file.Length - 22);
        var locator = file.AsSpan(file.Length - 22 - 20);
        var zip64 = file.AsSpan(file.Length - 22 - 20 - 56);
        uint centralOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(end), Is.EqualTo(0x06054B50u));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(end[10..]), Is.EqualTo(7));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(locator), Is.EqualTo(0x07064B50u));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]), Is.EqualTo((ulong)(file.Length - 22 - 20 - 56)));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(zip64), Is.EqualTo(0x06064B50u));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(zip64[4..]), Is.EqualTo(44UL));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(zip64[12..]), Is.EqualTo(0x031E));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(zip64[14..]), Is.EqualTo(45));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(zip64[48..]), Is.EqualTo((ulong)centralOffset));
        }
    }

    [Test]
    public void The_serialization_id_joins_the_record_name_hash_and_the_folded_record_crcs()
    {
        byte[] file = Write("r01c01f01", [5, 3], Sequence(15));
        var reader = new TorchZipReader(new MemoryStream(file));
        ulong folded = 0;
        foreach (var entry in reader.Entries.Where(e => !e.Name.EndsWith(".data/serialization_id", StringComparison.Ordinal)))
        {
            folded = TorchSerializationId.Combine(folded, entry.Crc);
        }

        string id = RecordText(reader, ".data/serialization_id");

        Assert.That(id, Does.Match("^[0-9]{40}$"));
        Assert.That(id, Is.EqualTo(
            TorchSerializationId.CombineNameHashes(TorchSerializationId.BareTensorRecordsInHashSetOrder).ToString("D20", null)
            + folded.ToString("D20", null)));
    }

    [Test]
    public void An_empty_tensor_gets_an_empty_storage_record_without_a_data_descriptor()
    {
        byte[] file = Write("e", [5, 0, 3], []);
        var reader = new TorchZipReader(new MemoryStream(file));
        reader.TryGetRecord("data/0", out var storage);
        reader.TryGetRecord("version", out var next);
        var local = file.AsSpan((int)storage.LocalHeaderOffset);
        int dataStart = (int)storage.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(local[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(storage.Size, Is.Zero);
            Assert.That(storage.Flags, Is.EqualTo(0x0800));
            Assert.That(next.LocalHeaderOffset, Is.EqualTo(dataStart), "the next record follows at once");
            Assert.That(TorchFile.ReadFloat32(new MemoryStream(file)).Shape, Is.EqualTo(new[] { 5, 0, 3 }));
        }
    }

    [Test]
    public void Writing_starts_at_the_streams_position_and_leaves_earlier_bytes_alone()
    {
        var stream = new MemoryStream();
        stream.Write("prefix"u8);
        TorchFile.WriteFloat32(stream, "x", [2], [1f, 2f]);

        Assert.That(stream.ToArray()[6..], Is.EqualTo(Write("x", [2], [1f, 2f])));
    }

    [Test]
    public void A_shape_that_does_not_match_the_data_length_is_rejected() =>
        Assert.That(() => TorchFile.WriteFloat32(new MemoryStream(), "x", [5, 3], new float[14]),
            Throws.ArgumentException.With.Message.Contains("15 elements"));

    [TestCase("")]
    [TestCase("dir/stem")]
    [TestCase("dir\\stem")]
    public void A_prefix_that_is_not_a_bare_stem_is_rejected(string prefix) =>
        Assert.That(() => TorchFile.WriteFloat32(new MemoryStream(), prefix, [1], [1f]), Throws.ArgumentException);

    [Test]
    public void Reading_rejects_a_stream_that_is_not_a_zip() =>
        Assert.That(() => TorchFile.ReadFloat32(new MemoryStream(new byte[100])),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no zip end record"));

    [Test]
    public void Reading_detects_a_flipped_bit_in_the_tensor_data()
    {
        byte[] file = Write("x", [5, 3], Sequence(15));
        var reader = new TorchZipReader(new MemoryStream(file));
        reader.TryGetRecord("data/0", out var storage);
        var local = file.AsSpan((int)storage.LocalHeaderOffset);
        int dataStart = (int)storage.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(local[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
        file[dataStart + 5] ^= 0x10;

        Assert.That(() => TorchFile.ReadFloat32(new MemoryStream(file)),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("x/data/0").And.Message.Contains("CRC-32"));
    }

    [Test]
    public void Reading_rejects_a_view_into_a_larger_storage_as_old_feature_files_hold()
    {
        // A (2,) tensor whose pickle points at a 4-float storage, like the pre-clone feature files.
        var stream = new MemoryStream();
        var zip = new TorchZipWriter(stream, "view");
        zip.WriteRecord("data.pkl", TensorPickle.Write([2], 4));
        zip.WriteRecord("data/0", new byte[16]);
        zip.WriteRecord("version", "3\n"u8);
        zip.Finish();
        stream.Position = 0;

        Assert.That(() => TorchFile.ReadFloat32(stream),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("view of a 4-element storage"));
    }

    [Test]
    public void Reading_rejects_an_archive_without_a_version_record()
    {
        var stream = new MemoryStream();
        var zip = new TorchZipWriter(stream, "noversion");
        zip.WriteRecord("data.pkl", TensorPickle.Write([2], 2));
        zip.WriteRecord("data/0", new byte[8]);
        zip.Finish();
        stream.Position = 0;

        Assert.That(() => TorchFile.ReadFloat32(stream),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no version record"));
    }

    private static byte[] Write(string stem, int[] shape, float[] values)
    {
        var stream = new MemoryStream();
        TorchFile.WriteFloat32(stream, stem, shape, values);
        return stream.ToArray();
    }

    private static string RecordText(TorchZipReader reader, string name)
    {
        Assert.That(reader.TryGetRecord(name, out var entry), Is.True, name);
        return Encoding.ASCII.GetString(reader.ReadRecord(entry));
    }

    private static float[] Sequence(int count) => [.. Enumerable.Range(0, count).Select(i => (i * 0.37f) - 3f)];
}
