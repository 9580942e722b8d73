using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>Build records for the lock-store tests: recipe 3, one input and one output, all hashes derived from the id and a version.</summary>
public static class LockedRecords
{
    public static BuildRecord Record(string itemId, string group, string version = "1") => new(
        itemId,
        group,
        ContentHash.OfText($"fingerprint {itemId} {version}"),
        3,
        ContentHash.OfText("params"),
        [new HashedName("in", ContentHash.OfText(itemId))],
        [new HashedName("out", ContentHash.OfText($"out {itemId} {version}"))]);
}
