using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CellPainting.Stages.Features;

/// <summary>
/// Runs the DINOv3 ONNX backbone on site tensors: each site's 5 channels become 5 RGB images, batches of
/// <see cref="BatchSize"/> sites (5 x that many images) go through one forward pass, and each site gets its own
/// (5, D) array of normalised CLS tokens. Not thread-safe: one caller (the pipeline's consumer) at a time.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private float[] batch = [];
    private long sites;
    private long batches;
    private long preprocessTicks;
    private long inferenceTicks;

    private FeatureExtractor(InferenceSession session, ExecutionProvider provider, string? providerMessage, FeatureExtractorOptions options)
    {
        this.session = session;
        ModelPath = options.ModelPath;
        Provider = provider;
        ProviderMessage = providerMessage;
        BatchSize = options.BatchSize;
        inputNames = [options.InputName];
        outputNames = [options.OutputName];
        (ImageSize, FeatureWidth) = ReadShapes(options.ModelPath, session, options.InputName, options.OutputName);
    }

    /// <summary>The ONNX file the session was created from.</summary>
    public string ModelPath { get; }

    /// <summary>The provider the session runs on (never <see cref="ExecutionProvider.Auto"/>).</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>For provider <c>auto</c> that fell back to CPU: one line saying why, for the caller to print; else null.</summary>
    public string? ProviderMessage { get; }

    /// <summary>Sites per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>The input height and width the model was exported for, or null if the export has dynamic H and W.</summary>
    public int? ImageSize { get; }

    /// <summary>Feature width D read from the model's output metadata.</summary>
    public int FeatureWidth { get; }

    /// <summary>Work done so far.</summary>
    public FeatureTimings Timings => new(sites, batches, Stopwatch.GetElapsedTime(0, preprocessTicks), Stopwatch.GetElapsedTime(0, inferenceTicks));

    /// <summary>
    /// Creates the session on the requested provider and reads its shapes. The file is not hashed here: its digest is
    /// the caller's provenance (the Features target takes it from the stat cache and checks it against the config).
    /// </summary>
    /// <exception cref="InvalidDataException">The model lacks the configured input/output or their shapes.</exception>
    /// <exception cref="CudaUnavailableException">Provider <c>cuda</c> and CUDA cannot run; the message names what is missing.</exception>
    public static FeatureExtractor Open(FeatureExtractorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CudaDeviceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputName);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputName);

        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelPath);
        var (session, provider, message) = FeatureSessionFactory.Create(options.ModelPath, options);
        try
        {
            return new FeatureExtractor(session, provider, message, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Features for at most <see cref="BatchSize"/> sites of one size, in one forward pass, in input order.</summary>
    public IReadOnlyList<SiteFeatures> ExtractBatch(IReadOnlyList<SiteTensor> batchSites)
    {
        ArgumentNullException.ThrowIfNull(batchSites);
        if (batchSites.Count == 0)
        {
            return [];
        }

        if (batchSites.Count > BatchSize)
        {
            throw new ArgumentException($"A batch holds at most {BatchSize} sites, got {batchSites.Count}.", nameof(batchSites));
        }

        var size = batchSites[0].Size;
        if (ImageSize is { } modelSize && size != modelSize)
        {
            throw new ArgumentException(
                $"Site {batchSites[0].SiteId} is {size} x {size} px, but {ModelPath} was exported for {modelSize} x {modelSize}: resize the sites to {modelSize}.",
                nameof(batchSites));
        }

        var start = Stopwatch.GetTimestamp();
        var length = DinoPreprocessor.BatchLength(batchSites.Count, size);
        if (batch.Length < length)
        {
            // Sized for a full batch once; tail batches use a prefix of it.
            batch = new float[checked((int)DinoPreprocessor.BatchLength(BatchSize, size))];
        }

        DinoPreprocessor.Preprocess(batchSites, batch);
        var preprocessed = Stopwatch.GetTimestamp();

        var images = batchSites.Count * SiteTensor.Channels;
        var result = new SiteFeatures[batchSites.Count];
        using (var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, (int)length), [images, 3, size, size]))
        using (var outputs = session.Run(runOptions, inputNames, [input], outputNames))
        {
            var output = outputs[0];
            var shape = output.GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != images || shape[1] != FeatureWidth)
            {
                throw new InvalidDataException(
                    $"{ModelPath}: output '{outputNames[0]}' has shape ({string.Join(", ", shape)}), expected ({images}, {FeatureWidth}).");
            }

            var values = output.GetTensorDataAsSpan<float>();
            var perSite = SiteTensor.Channels * FeatureWidth;
            for (var i = 0; i < batchSites.Count; i++)
            {
                result[i] = new SiteFeatures(batchSites[i].SiteId, values.Slice(i * perSite, perSite).ToArray(), FeatureWidth);
            }
        }

        var finished = Stopwatch.GetTimestamp();
        sites += batchSites.Count;
        batches++;
        preprocessTicks += preprocessed - start;
        inferenceTicks += finished - preprocessed;
        return result;
    }

    /// <summary>Features for any number of sites, lazily, <see cref="BatchSize"/> sites per forward pass.</summary>
    public IEnumerable<SiteFeatures> Extract(IEnumerable<SiteTensor> allSites)
    {
        ArgumentNullException.ThrowIfNull(allSites);
        return Batched(allSites);

        IEnumerable<SiteFeatures> Batched(IEnumerable<SiteTensor> source)
        {
            foreach (var chunk in source.Chunk(BatchSize))
            {
                foreach (var features in ExtractBatch(chunk))
                {
                    yield return features;
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private static (int? ImageSize, int FeatureWidth) ReadShapes(string path, InferenceSession session, string inputName, string outputName)
    {
        if (session.InputNames.Count != 1 || !session.InputMetadata.TryGetValue(inputName, out var input))
        {
            throw new InvalidDataException(
                $"ONNX model {path} must have exactly one input named '{inputName}'; it has: {string.Join(", ", session.InputNames)}. "
                + "Export it with models/export_dinov3_hf.py.");
        }

        if (!session.OutputMetadata.TryGetValue(outputName, out var output))
        {
            throw new InvalidDataException(
                $"ONNX model {path} has no output named '{outputName}'; it has: {string.Join(", ", session.OutputNames)}. "
                + "Export it with models/export_dinov3_hf.py.");
        }

        var inputDims = input.IsTensor ? input.Dimensions : [];
        if (input.ElementDataType != TensorElementType.Float || inputDims.Length != 4 || inputDims[1] is not (3 or -1)
            || (inputDims[2] > 0 && inputDims[3] > 0 && inputDims[2] != inputDims[3]))
        {
            throw new InvalidDataException(
                $"ONNX model {path}: input '{inputName}' must be float32 (batch, 3, S, S), it is {input.ElementDataType} ({string.Join(", ", inputDims)}).");
        }

        var outputDims = output.IsTensor ? output.Dimensions : [];
        if (output.ElementDataType != TensorElementType.Float || outputDims.Length != 2 || outputDims[1] <= 0)
        {
            throw new InvalidDataException(
                $"ONNX model {path}: output '{outputName}' must be float32 (batch, D) with a fixed D, it is {output.ElementDataType} ({string.Join(", ", outputDims)}).");
        }

        return (inputDims[2] > 0 ? inputDims[2] : null, outputDims[1]);
    }
}
