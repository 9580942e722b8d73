namespace CellPainting.Stages.Download;

/// <summary>Which objects of a plate's <c>Images/</c> folder a sync fetches.</summary>
public enum ImageObjectSelection
{
    /// <summary>
    /// Only the fluorescence TIFFs <c>rRRcCCfFFpPP-ch1…ch5sk1fk1fl1.tiff</c>: the feature pipeline reads nothing else,
    /// and skipping brightfield (ch6–ch8) and the Harmony export files saves three eighths of the transfer.
    /// </summary>
    Fluorescence,

    /// <summary>Every object under the prefix: all eight channels plus <c>Index.idx.xml</c> and any other export file.</summary>
    Everything,
}
