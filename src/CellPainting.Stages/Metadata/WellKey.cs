namespace CellPainting.Stages.Metadata;

/// <summary>
/// A well of one plate: the key of the metadata cache, of split manifests and of well indexes.
/// Ordered by barcode then well, ordinally, which is the reference's dataset index order.
/// </summary>
public readonly record struct WellKey(string Barcode, string Well) : IComparable<WellKey>
{
    public int CompareTo(WellKey other)
    {
        var byBarcode = string.CompareOrdinal(Barcode, other.Barcode);
        return byBarcode != 0 ? byBarcode : string.CompareOrdinal(Well, other.Well);
    }

    /// <summary><c>BARCODE/WELL</c>, the form the reference uses when it lists wells in errors.</summary>
    public override string ToString() => $"{Barcode}/{Well}";
}
