using System.Globalization;

namespace CellPainting.Stages.Features;

/// <summary>
/// Where a Features run spent its time. Decode (reading TIFF bytes not already read for hashing, then decoding) and
/// resize run on the parallel workers and are summed over them; loading the model, the forward passes (with their
/// normalisation) and writing the .pt files run on the one batch consumer, so those add up to at most the wall time.
/// <see cref="TiffsDecoded"/> leaves out sites whose decoded channels came from the Tensors stage run together.
/// </summary>
public sealed record FeatureTimeSplit(TimeSpan Decode, long TiffsDecoded, TimeSpan Resize, TimeSpan ModelLoad, FeatureTimings Extraction, TimeSpan Write)
{
    /// <summary>One line for logs and the benchmark.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Extraction.Sites} sites in {Extraction.Batches} batches; workers: decode {TiffsDecoded} TIFFs {Decode.TotalSeconds:F2} s, resize {Resize.TotalSeconds:F2} s; "
        + $"consumer: model load {ModelLoad.TotalSeconds:F2} s, normalise {Extraction.Preprocess.TotalSeconds:F2} s, "
        + $"inference {Extraction.Inference.TotalSeconds:F2} s, write {Write.TotalSeconds:F2} s");
}
