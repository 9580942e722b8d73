namespace CellPainting.Engine.LockFiles;

/// <summary>
/// What changed in one target's section. A target on one side only compares with an empty one: its recipe and
/// parameters show as set or cleared, and all its groups and items as added or removed.
/// </summary>
public sealed record TargetDiff(
    string Name,
    TargetStatus Status,
    RecipeChange? Recipe,
    IReadOnlyList<ValueChange> Parameters,
    IReadOnlyList<string> GroupsAdded,
    IReadOnlyList<string> GroupsRemoved,
    IReadOnlyList<AttributeChange> Attributes,
    ItemChanges Added,
    ItemChanges Removed,
    ItemChanges Changed);
