namespace CellPainting.Engine.LockFiles;

/// <summary>One target of merged shard locks: the shards' common recipe and parameters, and the union of their groups.</summary>
public sealed record MergedTarget(string Name, int RecipeVersion, IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, GroupContent> Groups);
