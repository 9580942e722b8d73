using System.Diagnostics;

namespace CellPainting.Stages.Tensors;

/// <summary>
/// Time <see cref="SiteImageLoader"/> spent decoding TIFFs and resizing them, summed over the threads that load sites
/// (so on N workers it can reach N times the wall time). Adding is lock-free; reading gives the totals so far.
/// </summary>
public sealed class SiteLoadClock
{
    private long decodeTicks;
    private long resizeTicks;

    public TimeSpan Decode => Stopwatch.GetElapsedTime(0, Volatile.Read(ref decodeTicks));

    public TimeSpan Resize => Stopwatch.GetElapsedTime(0, Volatile.Read(ref resizeTicks));

    internal void Add(long decode, long resize)
    {
        Interlocked.Add(ref decodeTicks, decode);
        Interlocked.Add(ref resizeTicks, resize);
    }
}
