using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;

namespace CellPainting.Engine.Execution;

/// <summary>An item the dirty check found stale, with everything a strategy needs to build it.</summary>
public sealed record StaleItem(IStage Stage, WorkItem Item, ResolvedInputs Inputs, string Fingerprint, Staleness Staleness);
