namespace CellPainting.Engine.Verification;

/// <summary>Hashes as findings show them: long enough to tell apart and to search for, short enough to read.</summary>
internal static class HashText
{
    public static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;
}
