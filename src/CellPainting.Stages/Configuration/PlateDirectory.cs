namespace CellPainting.Stages.Configuration;

/// <summary>A plate's measurement directory (<c>BR00116991__2020-11-05T19_51_35-Measurement1</c>); outputs are keyed by its barcode.</summary>
public sealed record PlateDirectory(string Name)
{
    /// <summary>The text before the first <c>__</c>, or the whole name when there is none (the reference's rule).</summary>
    public string Barcode
    {
        get
        {
            int separator = Name.IndexOf("__", StringComparison.Ordinal);
            return separator < 0 ? Name : Name[..separator];
        }
    }

    public override string ToString() => Name;
}
