namespace CellPainting.Engine.LockFiles;

/// <summary>The lock or one of its manifests cannot be read; the message names the file (and line).</summary>
public sealed class LockFileException : Exception
{
    public LockFileException(string message)
        : base(message)
    {
    }

    public LockFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
