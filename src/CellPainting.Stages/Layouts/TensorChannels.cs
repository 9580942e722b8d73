using CellPainting.Engine.Items;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Layouts;

/// <summary>Site tensors (5,S,S) read back as their five S×S channels, one site at a time (a plate never is in memory whole).</summary>
public static class TensorChannels
{
    public static void ForEach(ItemInput[] tensors, IBuildContext context, Action<float[][]> visit)
    {
        foreach (ItemInput input in tensors)
        {
            visit(Read(input, context));
        }
    }

    /// <summary>The site tensor's five channels, each S×S values.</summary>
    public static float[][] Read(ItemInput input, IBuildContext context)
    {
        TorchTensor tensor;
        try
        {
            tensor = context.ReadInput(input.Name, TorchFile.ReadFloat32);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{input.Path}: {exception.Message}", exception);
        }

        if (tensor.Shape.Count != 3 || tensor.Shape[0] != Features.SiteTensor.Channels)
        {
            throw new InvalidDataException($"{input.Path}: tensor of shape ({string.Join(", ", tensor.Shape)}); expected (5, S, S)");
        }

        int plane = tensor.Shape[1] * tensor.Shape[2];
        return [.. Enumerable.Range(0, tensor.Shape[0]).Select(channel => tensor.Data.Span.Slice(channel * plane, plane).ToArray())];
    }
}
