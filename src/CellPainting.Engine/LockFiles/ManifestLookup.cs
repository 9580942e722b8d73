using System.Text;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// The outcome of looking for one manifest along a <see cref="ManifestChain"/>: the bytes with the lock's digest,
/// if any place had them, and what every place asked answered, in order.
/// </summary>
public sealed record ManifestLookup(ManifestRequest Request, byte[]? Content, IReadOnlyList<ManifestAnswer> Answers)
{
    /// <summary>Places that hold other bytes than the lock names (a hand edit, a merge left half done).</summary>
    public IEnumerable<ManifestAnswer> Mismatched =>
        Answers.Where(answer => answer.Content is not null && ItemManifest.DigestOf(answer.Content) != Request.Digest);

    /// <summary>The manifest; when no place had it, an error naming the digest, the group and every place looked.</summary>
    /// <param name="lockName">How messages name the lock that records the digest.</param>
    public byte[] Require(string lockName)
    {
        if (Content is not null)
        {
            return Content;
        }

        (string target, string group) = Request.Key;
        // Bytes that are there but wrong say more than a miss: they name the file to fix.
        ManifestAnswer? wrong = Mismatched.FirstOrDefault();
        ManifestAnswer headline = wrong ?? Answers[0];
        string problem;
        if (wrong is null)
        {
            problem = $"{headline.Place}: missing, but {lockName} lists {target}/{group} (manifest {Request.Digest})";
        }
        else
        {
            int conflict = ConflictMarker.FindLine(Encoding.UTF8.GetString(wrong.Content!));
            problem = conflict > 0
                ? $"{wrong.Place}:{conflict}: merge-conflict marker; resolve it or regenerate the lock"
                : $"{wrong.Place}: has digest {ItemManifest.DigestOf(wrong.Content!)}, but {lockName} records {Request.Digest} for {target}/{group}; the lock and its manifests are out of step";
        }

        throw new LockFileException(problem + ElsewhereThan(headline) + ".");
    }

    /// <summary>"; also looked in …" for the places other than <paramref name="headline"/>, or nothing when it was the only one.</summary>
    public string ElsewhereThan(ManifestAnswer headline)
    {
        string[] others = Answers.Where(answer => !ReferenceEquals(answer, headline)).Select(answer => $"{answer.Place} ({answer.Describe(Request.Digest)})").ToArray();
        return others.Length == 0 ? string.Empty : "; also looked in " + string.Join(", ", others);
    }
}
