namespace CellPainting.Engine.State;

/// <summary>What stat says about a file: enough to tell, without reading it, that it has not changed.</summary>
public readonly record struct FileStamp(long Size, long MtimeNanoseconds, ulong Inode);
