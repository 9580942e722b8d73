namespace CellPainting.Stages.Imaging;

/// <summary>
/// Two horizontally interpolated source rows: consecutive output rows mostly reuse one or both, so each
/// source row is interpolated once per plane.
/// </summary>
internal sealed class BilinearRowCache(int width)
{
    private readonly float[] _first = new float[width];
    private readonly float[] _second = new float[width];
    private int _firstRow = -1;
    private int _secondRow = -1;

    /// <summary>Forgets the cached rows (a new plane starts).</summary>
    public void Reset()
    {
        _firstRow = -1;
        _secondRow = -1;
    }

    /// <summary>
    /// The buffer for <paramref name="sourceRow"/>; <paramref name="ready"/> tells whether it already holds that
    /// row. Otherwise the caller fills it; the buffer holding <paramref name="keepRow"/> is never handed out.
    /// </summary>
    public Span<float> Get(int sourceRow, int keepRow, out bool ready)
    {
        ready = true;
        if (_firstRow == sourceRow)
        {
            return _first;
        }

        if (_secondRow == sourceRow)
        {
            return _second;
        }

        ready = false;
        if (_firstRow != keepRow)
        {
            _firstRow = sourceRow;
            return _first;
        }

        _secondRow = sourceRow;
        return _second;
    }
}
