namespace CellPainting.Stages.Download;

/// <summary>
/// Reading a response body failed part-way (connection reset, premature end, read stall past the timeout).
/// Raised only around network reads, so that local disk errors are never mistaken for transient faults.
/// </summary>
internal sealed class TransferInterruptedException : Exception
{
    /// <summary>Wraps the network error that interrupted the body.</summary>
    public TransferInterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
