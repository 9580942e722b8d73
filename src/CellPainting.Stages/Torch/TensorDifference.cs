namespace CellPainting.Stages.Torch;

/// <summary>How far apart two .pt tensors are, element by element: for outputs that may differ in the last bits (GPU kernels).</summary>
public static class TensorDifference
{
    /// <summary>
    /// The largest absolute difference between corresponding elements of the float32 tensors in two .pt files;
    /// positive infinity where one is NaN and the other is not.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not a bare float32 tensor, or the shapes differ.</exception>
    public static double MaxAbsolute(string pathA, string pathB)
    {
        TorchTensor a = Read(pathA);
        TorchTensor b = Read(pathB);
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw new InvalidDataException($"{pathA} has shape ({string.Join(", ", a.Shape)}) but {pathB} has ({string.Join(", ", b.Shape)}).");
        }

        ReadOnlySpan<float> left = a.Data.Span;
        ReadOnlySpan<float> right = b.Data.Span;
        double largest = 0;
        for (int index = 0; index < left.Length; index++)
        {
            double difference = float.IsNaN(left[index]) || float.IsNaN(right[index])
                ? (float.IsNaN(left[index]) && float.IsNaN(right[index]) ? 0 : double.PositiveInfinity)
                : Math.Abs((double)left[index] - right[index]);
            largest = Math.Max(largest, difference);
        }

        return largest;
    }

    private static TorchTensor Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return TorchFile.ReadFloat32(stream);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }
}
