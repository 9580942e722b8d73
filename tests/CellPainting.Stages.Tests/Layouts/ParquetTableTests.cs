using CellPainting.Stages.Layouts;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class ParquetTableTests
{
    private static ParquetTable Example() => new ParquetTable(2)
        .Strings("Metadata_Well", ["A01", "B02"])
        .Int32s("Metadata_Site", [1, 9])
        .Int64s("pixels", [1L << 40, 3])
        .Float32s("ch1_0000", [0.25f, -1.5f])
        .Float64s("mean", [0.1, double.Epsilon])
        .Describe("z.last", "2")
        .Describe("a.first", "1");

    [Test]
    public void The_same_table_gives_the_same_bytes()
    {
        byte[] first = Example().ToBytes();
        byte[] second = Example().ToBytes();

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void DuckDB_reads_the_columns_in_order_with_their_types_values_and_the_footer_metadata()
    {
        using var scratch = new TempDirectory();
        string path = scratch.PathOf("table.parquet");
        File.WriteAllBytes(path, Example().ToBytes());

        Assert.That(DuckDbParquet.Columns(path), Is.EqualTo(new[] { ("Metadata_Well", "VARCHAR"), ("Metadata_Site", "INTEGER"), ("pixels", "BIGINT"), ("ch1_0000", "FLOAT"), ("mean", "DOUBLE") }));
        Assert.That(DuckDbParquet.Query($"SELECT * FROM read_parquet({DuckDbParquet.Literal(path)})"), Is.EqualTo(new[]
        {
            new object?[] { "A01", 1, 1L << 40, 0.25f, 0.1 },
            new object?[] { "B02", 9, 3L, -1.5f, double.Epsilon },
        }));
        Assert.That(DuckDbParquet.KeyValueMetadata(path), Is.EqualTo(new Dictionary<string, string> { ["a.first"] = "1", ["z.last"] = "2" }));
    }

    [Test]
    public void A_column_of_another_length_or_a_repeated_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ParquetTable(2).Int32s("a", [1]));
        Assert.Throws<ArgumentException>(() => new ParquetTable(1).Int32s("a", [1]).Float64s("a", [1.0]));
    }
}
