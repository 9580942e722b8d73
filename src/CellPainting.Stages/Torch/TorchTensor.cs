namespace CellPainting.Stages.Torch;

/// <summary>A float32 tensor read back from a torch.save archive.</summary>
public sealed class TorchTensor
{
    internal TorchTensor(string recordPrefix, int[] shape, float[] data)
    {
        RecordPrefix = recordPrefix;
        Shape = Array.AsReadOnly(shape);
        Data = data;
    }

    /// <summary>The archive folder name (torch.save takes it from the file stem).</summary>
    public string RecordPrefix { get; }

    /// <summary>Size of each dimension, outermost first; empty for a 0-d tensor.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The elements in C order; length = product of <see cref="Shape"/>.</summary>
    public ReadOnlyMemory<float> Data { get; }
}
