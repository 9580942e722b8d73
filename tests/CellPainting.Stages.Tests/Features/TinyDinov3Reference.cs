using System.Text.Json;
using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

/// <summary>
/// The committed tiny DINOv3-shaped model (models/tiny-dinov3.onnx) and what PyTorch computed for it
/// (models/tiny-dinov3.reference.json), both written by models/make_tiny_dinov3.py.
/// </summary>
internal sealed class TinyDinov3Reference
{
    private TinyDinov3Reference(string modelPath, string modelSha256, int size, int sites, string preprocessedSha256, float[][] poolerOutput)
    {
        ModelPath = modelPath;
        ModelSha256 = modelSha256;
        Size = size;
        Sites = sites;
        PreprocessedSha256 = preprocessedSha256;
        PoolerOutput = poolerOutput;
    }

    public static TinyDinov3Reference Instance { get; } = Load();

    public string ModelPath { get; }

    /// <summary>The digest the generator recorded for the model it wrote.</summary>
    public string ModelSha256 { get; }

    public int Size { get; }

    public int Sites { get; }

    /// <summary>SHA-256 of PyTorch's preprocessed (Sites * 5, 3, S, S) float32 batch.</summary>
    public string PreprocessedSha256 { get; }

    /// <summary>PyTorch's pooler_output, row i * 5 + c = site i, channel c + 1.</summary>
    public float[][] PoolerOutput { get; }

    /// <summary>Options for the tiny model on <paramref name="provider"/>.</summary>
    public FeatureExtractorOptions Options(ExecutionProvider provider, int batchSize) => new()
    {
        ModelPath = ModelPath,
        Provider = provider,
        BatchSize = batchSize,
    };

    /// <summary>
    /// The reference sites, rebuilt from the generator's integer recipe:
    /// k = ((site * 5 + channel) * S + y) * S + x; raw = ((k * 2654435761 + 12345) mod 2^32) >> 16; value = raw / 65535f.
    /// </summary>
    public IReadOnlyList<SiteTensor> BuildSites(int count)
    {
        var sites = new SiteTensor[count];
        var perSite = SiteTensor.Channels * Size * Size;
        for (var site = 0; site < count; site++)
        {
            var pixels = new float[perSite];
            for (var j = 0; j < perSite; j++)
            {
                var k = (uint)(site * perSite + j);
                var raw = unchecked(k * 2654435761u + 12345u) >> 16;
                pixels[j] = (float)raw / 65535f;
            }

            sites[site] = new SiteTensor($"site{site}", pixels, Size);
        }

        return sites;
    }

    private static TinyDinov3Reference Load()
    {
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "models");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "tiny-dinov3.reference.json")));
        var root = json.RootElement;
        var pooler = root.GetProperty("pooler_output").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(value => value.GetSingle()).ToArray())
            .ToArray();
        return new TinyDinov3Reference(
            Path.Combine(directory, root.GetProperty("model").GetString()!),
            root.GetProperty("onnx_sha256").GetString()!,
            root.GetProperty("size").GetInt32(),
            root.GetProperty("sites").GetInt32(),
            root.GetProperty("preprocessed_sha256").GetString()!,
            pooler);
    }
}
