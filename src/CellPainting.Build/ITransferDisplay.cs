using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>Shows a transfer's progress while it runs: a live bar on a terminal, throttled plain lines otherwise.</summary>
internal interface ITransferDisplay
{
    /// <summary>Runs <paramref name="transfer"/>, handing it the progress sink to report to, and returns its result.</summary>
    T Run<T>(Func<IProgress<SyncProgress>, T> transfer);
}
