using System.Collections.Concurrent;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Pixel arrays of exact lengths, handed back by the images a site is done with and reused by the next decode of the
/// same size. A 1080×1080 plane is 2.3 MB: fresh pages for it cost about a third of decoding it. Holds at most
/// <see cref="Capacity"/> arrays per length, as many as the workers have in flight; the rest are left to the GC.
/// </summary>
public sealed class PixelPool
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<ushort[]>> free = new();

    public PixelPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>An array of exactly <paramref name="length"/> samples, with whatever an earlier image left in it.</summary>
    public ushort[] Rent(int length) =>
        free.TryGetValue(length, out ConcurrentBag<ushort[]>? bag) && bag.TryTake(out ushort[]? pixels)
            ? pixels
            : GC.AllocateUninitializedArray<ushort>(length);

    /// <summary>Keeps <paramref name="pixels"/> for a later <see cref="Rent"/>; the caller must not use it after.</summary>
    public void Return(ushort[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ConcurrentBag<ushort[]> bag = free.GetOrAdd(pixels.Length, _ => []);
        if (bag.Count < Capacity)
        {
            bag.Add(pixels);
        }
    }
}
