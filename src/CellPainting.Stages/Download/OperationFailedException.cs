namespace CellPainting.Stages.Download;

/// <summary>A listing or download that failed for good: a permanent fault, or transient ones past the retry budget.</summary>
internal sealed class OperationFailedException : Exception
{
    public OperationFailedException(string reason, int attempts, Exception innerException)
        : base(reason, innerException)
    {
        Attempts = attempts;
    }

    /// <summary>Attempts made, the failing one included.</summary>
    public int Attempts { get; }
}
