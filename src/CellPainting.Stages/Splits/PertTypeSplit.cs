using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CellPainting.Stages.Splits;

/// <summary>
/// <c>pert_type</c>: each broad_sample goes whole to one subset, by the md5 of <c>"{seed}:{broad_sample}"</c>:
/// its first 8 hex digits over 0xFFFFFFFF below val_fraction → validate, below twice that → test, else train.
/// </summary>
internal static class PertTypeSplit
{
    public static Dictionary<int, SplitSubset> Assign(IReadOnlyList<SplitCandidate> candidates, SplitParameters parameters)
    {
        var bySample = new Dictionary<string, SplitSubset>(StringComparer.Ordinal);
        var assigned = new Dictionary<int, SplitSubset>();
        foreach (var candidate in candidates)
        {
            var sample = candidate.Info.BroadSample;
            if (!bySample.TryGetValue(sample, out var subset))
            {
                subset = SubsetOf(sample, parameters);
                bySample.Add(sample, subset);
            }

            assigned.Add(candidate.Index, subset);
        }

        return assigned;
    }

    public static SplitSubset SubsetOf(string broadSample, SplitParameters parameters)
    {
        var fraction = Fraction(broadSample, parameters.Seed);
        return fraction < parameters.ValFraction ? SplitSubset.Validate
            : fraction < 2 * parameters.ValFraction ? SplitSubset.Test
            : SplitSubset.Train;
    }

    /// <summary>The reference's <c>int(md5(...).hexdigest()[:8], 16) / 0xFFFFFFFF</c>: the digest's first 4 bytes, big-endian.</summary>
    public static double Fraction(string broadSample, int seed)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{seed}:{broadSample}");
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(text));
        return BinaryPrimitives.ReadUInt32BigEndian(digest) / (double)uint.MaxValue;
    }
}
