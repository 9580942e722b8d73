using System.Globalization;
using CellPainting.Stages.Tensors;

namespace CellPainting.Stages.Features;

/// <summary>
/// Where a Features run spent its time. Decode (reading TIFF bytes not already read for hashing, then decoding) and
/// resize run on the parallel workers and are summed over them; loading the model, the forward passes (with their
/// normalisation) and writing the .pt files run on the one batch consumer, so those add up to at most the wall time.
/// <see cref="TiffsDecoded"/> leaves out sites whose decoded channels came from the Tensors stage run together.
/// </summary>
public sealed record FeatureTimeSplit(TimeSpan Decode, long TiffsDecoded, TimeSpan Resize, TimeSpan ModelLoad, FeatureTimings Extraction, TimeSpan Write)
{
    /// <summary>TIFFs of the sites built here whose decoded channels came from the Tensors stage run together.</summary>
    public long TiffsShared => Math.Max(0, ((long)Extraction.Sites * SiteImageLoader.Channels) - TiffsDecoded);

    /// <summary>One line for logs and the benchmark.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Extraction.Sites} sites in {Extraction.Batches} batches; workers: {DescribeDecode()}, resize {Resize.TotalSeconds:F2} s; "
        + $"consumer: model load {ModelLoad.TotalSeconds:F2} s, normalise {Extraction.Preprocess.TotalSeconds:F2} s, "
        + $"inference {Extraction.Inference.TotalSeconds:F2} s, write {Write.TotalSeconds:F2} s");

    private string DescribeDecode() => (TiffsDecoded, TiffsShared) switch
    {
        (_, 0) => string.Create(CultureInfo.InvariantCulture, $"decode {TiffsDecoded} TIFFs {Decode.TotalSeconds:F2} s"),
        (0, long shared) => string.Create(CultureInfo.InvariantCulture, $"decode shared with tensors ({shared} TIFFs decoded once for both)"),
        (long own, long shared) => string.Create(CultureInfo.InvariantCulture, $"decode {own} TIFFs {Decode.TotalSeconds:F2} s and {shared} shared with tensors"),
    };
}
