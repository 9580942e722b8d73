namespace CellPainting.Build;

/// <summary>A target finished with failed items (listed in the output before this is thrown), so the run must exit non-zero.</summary>
public sealed class BuildFailedException : Exception
{
    public BuildFailedException(string message)
        : base(message)
    {
    }
}
