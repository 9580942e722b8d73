using System.Diagnostics;
using System.Globalization;
using CellPainting.Stages.Features;

// Feature throughput on synthetic sites: usage
//   FeaturesBench --model PATH --sha256 HEX --sites N --batch B [--threads T] [--provider cpu|auto|cuda]
// Decode, resize and .pt writing belong to the integrator's pipeline; here the producer only fills random pixels
// (its time is reported as "produce", the hook where decode + resize go) and delivery discards the features
// (reported as "deliver", the hook where the .pt write goes).
var arguments = args.Select((value, index) => (value, index)).Where(pair => pair.index % 2 == 0)
    .ToDictionary(pair => pair.value.TrimStart('-'), pair => args[pair.index + 1]);
var sites = int.Parse(arguments.GetValueOrDefault("sites", "48"), CultureInfo.InvariantCulture);
var options = new FeatureExtractorOptions
{
    ModelPath = arguments["model"],
    ModelSha256 = arguments["sha256"],
    BatchSize = int.Parse(arguments.GetValueOrDefault("batch", "16"), CultureInfo.InvariantCulture),
    IntraOpThreads = int.Parse(arguments.GetValueOrDefault("threads", "0"), CultureInfo.InvariantCulture),
    Provider = ExecutionProviderParser.Parse(arguments.GetValueOrDefault("provider", "cpu")),
};

var opening = Stopwatch.StartNew();
using var extractor = FeatureExtractor.Open(options);
if (extractor.ProviderMessage is { } message)
{
    Console.WriteLine(message);
}

var size = extractor.ImageSize ?? throw new InvalidOperationException("The benchmark needs a model exported for a fixed size.");
Console.WriteLine(
    $"model {Path.GetFileName(options.ModelPath)}: S {size}, D {extractor.FeatureWidth}, provider {ExecutionProviderParser.ToConfigValue(extractor.Provider)}, "
    + $"batch {options.BatchSize} sites ({options.BatchSize * SiteTensor.Channels} images), threads {(options.IntraOpThreads == 0 ? "ORT default" : options.IntraOpThreads)}, "
    + $"session opened in {opening.Elapsed.TotalSeconds:F2} s");

var random = new Random(1);
SiteTensor Synthetic(int index)
{
    var pixels = new float[SiteTensor.Channels * size * size];
    for (var i = 0; i < pixels.Length; i++)
    {
        pixels[i] = random.Next(65536) / 65535f;
    }

    return new SiteTensor($"site{index}", pixels, size);
}

// Warm-up: the first run plans memory and picks kernels.
extractor.ExtractBatch([.. Enumerable.Range(0, options.BatchSize).Select(Synthetic)]);
var warm = extractor.Timings;

var inputs = Enumerable.Range(0, sites).Select(Synthetic).ToList();
var direct = Stopwatch.StartNew();
var extracted = extractor.Extract(inputs).Count();
direct.Stop();
var timings = extractor.Timings;
var preprocess = timings.Preprocess - warm.Preprocess;
var inference = timings.Inference - warm.Inference;
Console.WriteLine(
    $"direct:   {extracted} sites in {direct.Elapsed.TotalSeconds:F2} s = {extracted / direct.Elapsed.TotalSeconds:F2} sites/s "
    + $"({extracted * SiteTensor.Channels / direct.Elapsed.TotalSeconds:F1} images/s); per site: preprocess {preprocess.TotalMilliseconds / extracted:F2} ms, "
    + $"inference {inference.TotalMilliseconds / extracted:F2} ms");

var statistics = await new BatchPipeline(extractor).RunAsync(
    _ => Enumerable.Range(0, sites).Select(Synthetic).ToAsyncEnumerable(),
    (_, _) => ValueTask.CompletedTask);
Console.WriteLine(
    $"pipeline: {statistics.Sites} sites in {statistics.Wall.TotalSeconds:F2} s = {statistics.Sites / statistics.Wall.TotalSeconds:F2} sites/s; "
    + $"produce (decode+resize hook) {statistics.Produce.TotalSeconds:F2} s, producer blocked {statistics.ProducerBlocked.TotalSeconds:F2} s, "
    + $"consumer waiting {statistics.ConsumerWaiting.TotalSeconds:F2} s, preprocess {statistics.Preprocess.TotalSeconds:F2} s, "
    + $"inference {statistics.Inference.TotalSeconds:F2} s, deliver (write hook) {statistics.Deliver.TotalSeconds:F3} s");
