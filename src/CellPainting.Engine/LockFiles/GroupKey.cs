namespace CellPainting.Engine.LockFiles;

/// <summary>One group of one target: the unit whose manifest the lock digests.</summary>
public readonly record struct GroupKey(string Target, string Group);
