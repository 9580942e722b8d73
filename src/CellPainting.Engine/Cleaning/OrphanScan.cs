using CellPainting.Engine.IO;
using CellPainting.Engine.Locking;

namespace CellPainting.Engine.Cleaning;

/// <summary>
/// Files under output folders that the current plan does not produce (orphans left by a config or input change),
/// and temporary files a killed run left behind (named as <see cref="AtomicFile.IsTemporaryName"/> recognises) there
/// and in the input folders downloads write into; the builds' run locks (<see cref="RunLock.OutputLockFolder"/>) are
/// neither. Lists only; <see cref="Remove"/> deletes. Links are neither followed nor listed, so nothing outside the
/// folders is reached.
/// </summary>
public sealed class OrphanScan
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
    };

    private readonly IReadOnlyList<string> roots;

    private OrphanScan(IReadOnlyList<string> roots, IReadOnlyList<string> orphans, IReadOnlyList<string> leftovers, long bytes)
    {
        this.roots = roots;
        Orphans = orphans;
        Leftovers = leftovers;
        Bytes = bytes;
    }

    /// <summary>Files no planned item produces, full paths sorted.</summary>
    public IReadOnlyList<string> Orphans { get; }

    /// <summary>Temporary files of interrupted writes, full paths sorted.</summary>
    public IReadOnlyList<string> Leftovers { get; }

    /// <summary>The size of all listed files.</summary>
    public long Bytes { get; }

    public bool IsEmpty => Orphans.Count == 0 && Leftovers.Count == 0;

    /// <param name="roots">Folders that hold outputs only; missing ones are ignored.</param>
    /// <param name="keep">Every file the plan reads or writes: never listed, whatever folder it is in.</param>
    /// <param name="inputFolders">
    /// Folders of inputs that downloads write into (missing ones are ignored): searched for temporary files only;
    /// nothing else in them is listed, and <see cref="Remove"/> prunes none of their folders.
    /// </param>
    public static OrphanScan Find(IEnumerable<string> roots, IEnumerable<string> keep, IEnumerable<string>? inputFolders = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(keep);
        string[] folders = roots.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(Directory.Exists).ToArray();
        var kept = keep.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var orphans = new SortedSet<string>(StringComparer.Ordinal);
        var leftovers = new SortedSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (string folder in folders)
        {
            foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles("*", Walk).Where(file => !RunLock.IsOutputLock(file.FullName)))
            {
                string path = file.FullName;
                bool added = AtomicFile.IsTemporaryName(file.Name)
                    ? leftovers.Add(path)
                    : !kept.Contains(path) && orphans.Add(path);
                if (added)
                {
                    bytes += file.Length;
                }
            }
        }

        foreach (string folder in (inputFolders ?? []).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(Directory.Exists))
        {
            // Matched by a pattern first: an input folder holds thousands of images and rarely a leftover.
            foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles("*" + AtomicFile.TemporaryMarker + "*", Walk).Where(file => AtomicFile.IsTemporaryName(file.Name)))
            {
                if (leftovers.Add(file.FullName))
                {
                    bytes += file.Length;
                }
            }
        }

        return new OrphanScan(folders, orphans.ToArray(), leftovers.ToArray(), bytes);
    }

    /// <summary>Deletes every listed file, then the folders that this left empty (never a root folder itself).</summary>
    public void Remove()
    {
        var emptied = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in Orphans.Concat(Leftovers))
        {
            File.Delete(path);
            emptied.Add(Path.GetDirectoryName(path)!);
        }

        foreach (string folder in emptied.OrderByDescending(folder => folder.Length))
        {
            PruneUpwards(folder);
        }
    }

    private void PruneUpwards(string folder)
    {
        string? current = folder;
        while (current is not null && !roots.Contains(current, StringComparer.Ordinal) && IsUnderARoot(current)
            && Directory.Exists(current) && !Directory.EnumerateFileSystemEntries(current).Any())
        {
            Directory.Delete(current);
            current = Path.GetDirectoryName(current);
        }
    }

    private bool IsUnderARoot(string folder) =>
        roots.Any(root => folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
}
