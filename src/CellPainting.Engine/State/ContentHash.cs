using System.Security.Cryptography;

namespace CellPainting.Engine.State;

/// <summary>SHA-256 content hashes as lower-case hex, the one spelling used in state, logs and locks.</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string OfText(string text) => Of(System.Text.Encoding.UTF8.GetBytes(text));

    public static string OfFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
