using System.Diagnostics;

namespace CellPainting.Stages.Tensors;

/// <summary>
/// Time <see cref="SiteImageLoader"/> spent decoding TIFFs and resizing them, summed over the threads that load sites
/// (so on N workers it can reach N times the wall time), and how many TIFFs it decoded: a site whose decoded channels
/// came from another stage run together adds resize time only. Adding is lock-free; reading gives the totals so far.
/// </summary>
public sealed class SiteLoadClock
{
    private long decodeTicks;
    private long resizeTicks;
    private long decoded;

    public TimeSpan Decode => Stopwatch.GetElapsedTime(0, Volatile.Read(ref decodeTicks));

    public TimeSpan Resize => Stopwatch.GetElapsedTime(0, Volatile.Read(ref resizeTicks));

    /// <summary>TIFF files decoded.</summary>
    public long Decoded => Volatile.Read(ref decoded);

    internal void AddDecode(long ticks, int files)
    {
        Interlocked.Add(ref decodeTicks, ticks);
        Interlocked.Add(ref decoded, files);
    }

    internal void AddResize(long ticks) => Interlocked.Add(ref resizeTicks, ticks);
}
