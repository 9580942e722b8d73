// Parquet library choice for the Profiles target: writes one plate's site profiles (sites x (5 x D) float32 columns plus
// the Metadata_ string columns) with Parquet.Net and with ParquetSharp, interleaved, and prints time (best and median),
// file size, whether two writes give the same bytes, and what each writes as created_by.
// Usage: ParquetBench [sites=3456] [dimension=384] [runs=5]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Parquet;
using Parquet.Schema;
using ParquetSharp;
using ParquetSharp.IO;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int sites = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3456;
int dimension = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 384;
int runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
const int Channels = 5;
string[] metadataNames = ["Metadata_Source", "Metadata_Batch", "Metadata_Plate", "Metadata_Well", "Metadata_Site", "Metadata_broad_sample", "Metadata_pert_type", "Metadata_pert_iname", "Metadata_gene", "Metadata_control_type"];
string[] featureNames = Enumerable.Range(0, Channels * dimension).Select(index => $"ch{(index / dimension) + 1}_{index % dimension:D4}").ToArray();

// Unit-norm CLS-like values (what the features are): random, so no codec gets an easy ride.
var random = new Random(7);
float[][] features = featureNames.Select(_ => Enumerable.Range(0, sites).Select(_ => (float)((random.NextDouble() * 2) - 1) / MathF.Sqrt(dimension)).ToArray()).ToArray();
string[][] metadata = metadataNames.Select(name => Enumerable.Range(0, sites).Select(site => name switch
{
    "Metadata_Source" => "source_4",
    "Metadata_Batch" => "2020_11_04_CPJUMP1",
    "Metadata_Plate" => "BR00116991",
    "Metadata_Well" => $"{(char)('A' + (site / 9 / 24))}{(site / 9 % 24) + 1:D2}",
    "Metadata_Site" => $"{(site % 9) + 1}",
    _ => $"value-{site / 9 % 307}",
}).ToArray()).ToArray();
Console.WriteLine($"one plate: {sites} sites x {featureNames.Length} float32 feature columns ({Channels} x {dimension}) + {metadataNames.Length} string columns; raw features {sites * featureNames.Length * 4 / 1e6:F1} MB; {runs} interleaved runs");
Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores");

async Task<byte[]> WriteParquetNetAsync()
{
    var fields = metadataNames.Select(name => (Field)new DataField<string>(name, false)).Concat(featureNames.Select(name => new DataField<float>(name))).ToArray();
    var schema = new ParquetSchema(fields);
    using var stream = new MemoryStream();
    await using (ParquetWriter writer = await Parquet.ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }))
    {
        writer.CustomMetadata = new Dictionary<string, string> { ["aggregation"] = "none" };
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        DataField[] data = schema.GetDataFields();
        for (int column = 0; column < metadataNames.Length; column++)
        {
            await group.WriteAsync(data[column], metadata[column], null);
        }

        for (int column = 0; column < featureNames.Length; column++)
        {
            await group.WriteAsync<float>(data[metadataNames.Length + column], features[column], null);
        }
    }

    return stream.ToArray();
}

// Dictionary encoding (ParquetSharp's default) only grows unique floats: the fair comparison turns it off.
byte[] WriteParquetSharp(bool dictionary)
{
    using WriterProperties properties = (dictionary ? new WriterPropertiesBuilder().EnableDictionary() : new WriterPropertiesBuilder().DisableDictionary()).Compression(Compression.Snappy).Build();
    ParquetSharp.Column[] columns = [.. metadataNames.Select(name => (ParquetSharp.Column)new Column<string>(name)), .. featureNames.Select(name => new Column<float>(name))];
    using var stream = new MemoryStream();
    using (var output = new ManagedOutputStream(stream, leaveOpen: true))
    using (var writer = new ParquetFileWriter(output, columns, properties, new Dictionary<string, string> { ["aggregation"] = "none" }))
    {
        using RowGroupWriter group = writer.AppendRowGroup();
        foreach (string[] values in metadata)
        {
            using LogicalColumnWriter<string> column = group.NextColumn().LogicalWriter<string>();
            column.WriteBatch(values);
        }

        foreach (float[] values in features)
        {
            using LogicalColumnWriter<float> column = group.NextColumn().LogicalWriter<float>();
            column.WriteBatch(values);
        }

        writer.Close();
    }

    return stream.ToArray();
}

string CreatedByParquetNet(byte[] file) => CreatedByParquetNetAsync(file).GetAwaiter().GetResult();

async Task<string> CreatedByParquetNetAsync(byte[] file)
{
    await using ParquetReader reader = await ParquetReader.CreateAsync(new MemoryStream(file));
    return reader.Metadata?.CreatedBy ?? "(none)";
}

string CreatedByParquetSharp(byte[] file)
{
    using var input = new ManagedRandomAccessFile(new MemoryStream(file));
    using var reader = new ParquetFileReader(input);
    return reader.FileMetaData.CreatedBy;
}

var writers = new (string Name, Func<byte[]> Write, Func<byte[], string> CreatedBy, string Native)[]
{
    ("Parquet.Net 6.1.0", () => WriteParquetNetAsync().GetAwaiter().GetResult(), CreatedByParquetNet, "none (managed: Snappier, ZstdSharp, K4os LZ4)"),
    ("ParquetSharp 25.0.1.2 (no dictionary)", () => WriteParquetSharp(dictionary: false), CreatedByParquetSharp, "as below"),
    ("ParquetSharp 25.0.1.2 (default: dictionary)", () => WriteParquetSharp(dictionary: true), CreatedByParquetSharp, $"ParquetSharpNative.so {new FileInfo(Path.Combine(AppContext.BaseDirectory, "runtimes/linux-x64/native/ParquetSharpNative.so")).Length / 1e6:F1} MB (Arrow C++), per RID"),
};
var times = writers.Select(_ => new List<double>()).ToArray();
var files = writers.Select(_ => new List<byte[]>()).ToArray();
foreach (var writer in writers)
{
    writer.Write(); // warm-up: JIT, native load
}

for (int run = 0; run < runs; run++)
{
    for (int index = 0; index < writers.Length; index++)
    {
        var stopwatch = Stopwatch.StartNew();
        byte[] file = writers[index].Write();
        times[index].Add(stopwatch.Elapsed.TotalMilliseconds);
        files[index].Add(file);
    }
}

for (int index = 0; index < writers.Length; index++)
{
    double[] sorted = [.. times[index].Order()];
    byte[] first = files[index][0];
    bool deterministic = files[index].All(file => file.AsSpan().SequenceEqual(first));
    Console.WriteLine($"{writers[index].Name}: best {sorted[0]:F0} ms, median {sorted[sorted.Length / 2]:F0} ms; {first.Length / 1e6:F2} MB; identical bytes over {runs} writes: {deterministic} (sha256 {Convert.ToHexStringLower(SHA256.HashData(first))[..12]}); created_by \"{writers[index].CreatedBy(first)}\"; native: {writers[index].Native}");
}

double ratio = times[0].Order().ElementAt(times[0].Count / 2) / times[1].Order().ElementAt(times[1].Count / 2);
Console.WriteLine($"median time Parquet.Net / ParquetSharp (no dictionary) = {ratio:F2}x; size Parquet.Net / ParquetSharp (no dictionary) = {(double)files[0][0].Length / files[1][0].Length:F2}x");
