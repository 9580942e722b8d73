using System.Security.Cryptography;
using System.Text;

namespace CellPainting.Stages.Download;

/// <summary>Digest of a unit's selection: SHA-256 over sorted <c>relativeKey\tetag\tsize\n</c> lines.</summary>
internal static class ManifestDigest
{
    public static string Compute(IEnumerable<(string RelativeKey, string ETag, long Size)> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (relativeKey, etag, size) in entries.OrderBy(e => e.RelativeKey, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{relativeKey}\t{etag}\t{size}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
