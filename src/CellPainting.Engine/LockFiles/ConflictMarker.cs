namespace CellPainting.Engine.LockFiles;

/// <summary>Git's merge-conflict markers, which make a committed lock or manifest unreadable until resolved.</summary>
internal static class ConflictMarker
{
    /// <summary>The 1-based line of the first git conflict marker, or 0.</summary>
    public static int FindLine(string text)
    {
        string[] lines = text.Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            if (lines[index].StartsWith("<<<<<<< ", StringComparison.Ordinal) || lines[index] == "=======" || lines[index].StartsWith(">>>>>>> ", StringComparison.Ordinal))
            {
                return index + 1;
            }
        }

        return 0;
    }
}
