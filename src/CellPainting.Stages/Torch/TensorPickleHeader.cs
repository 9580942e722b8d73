namespace CellPainting.Stages.Torch;

/// <summary>
/// What data.pkl of a bare tensor says: <c>_rebuild_tensor_v2(("storage", FloatStorage, key, location, n),
/// offset, size, stride, False, OrderedDict())</c>.
/// </summary>
/// <param name="StorageKey">Name of the storage record under <c>data/</c>.</param>
/// <param name="Location">Device the storage was saved from (always "cpu" here).</param>
/// <param name="StorageElementCount">Elements in the storage (not bytes).</param>
/// <param name="StorageOffset">First element of the tensor within the storage.</param>
/// <param name="Size">The tensor's shape.</param>
/// <param name="Stride">The tensor's strides, in elements.</param>
internal sealed record TensorPickleHeader(
    string StorageKey,
    string Location,
    long StorageElementCount,
    long StorageOffset,
    IReadOnlyList<long> Size,
    IReadOnlyList<long> Stride);
