using CellPainting.Engine.Cleaning;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Metadata;
using CellPainting.Stages.Sites;

namespace CellPainting.Build;

/// <summary>
/// The Clean target: lists the files under the output folders that no item of the current plan produces, and the
/// temporary files killed runs left there and in the folders downloads write into (the plates' images, the metadata);
/// deletes them only when asked. Inputs, the local state and the lock are never in scope otherwise: an output folder
/// that contains or lies in one of them is refused.
/// </summary>
internal sealed class CleanRunner(BuildConfig config, SiteCatalog catalog, StatCache statCache, LockStore lockStore, string root, TextWriter output)
{
    private string CacheFolder => Path.GetDirectoryName(MetadataStage.CachePathFor(config))!;

    public void Run(bool remove)
    {
        (string Key, string Path)[] roots =
        [
            ("local.tensors", config.Local.Tensors),
            ("local.features", config.Local.Features),
            ("local.splits", config.Local.Splits),
            ("the metadata cache", CacheFolder),
        ];
        CheckOutputFolders(roots);

        (List<string> keep, ItemProblem[] unplannable) = Plan();
        OrphanScan scan = OrphanScan.Find(roots.Select(folder => folder.Path), keep, config.Plates.Select(catalog.ImageDirectory).Append(config.Local.Metadata));
        output.WriteLine($"clean: {scan.Orphans.Count} file(s) no item of the current plan produces, {scan.Leftovers.Count} temporary file(s) left by interrupted runs ({ProgressText.FormatBytes(scan.Bytes)})");
        ReportPrinter.List(output, "orphan", scan.Orphans, Shown, SizeOf);
        ReportPrinter.List(output, "leftover", scan.Leftovers, Shown, SizeOf);
        ReportPrinter.List(output, "NOT PLANNED", unplannable, problem => problem.ItemId, problem => problem.Message);
        if (scan.IsEmpty)
        {
            output.WriteLine("clean: nothing to remove");
        }
        else if (!remove)
        {
            output.WriteLine("clean: nothing removed; pass --remove to delete them");
        }
        else if (unplannable.Length > 0)
        {
            throw new BuildFailedException($"clean: nothing removed: {unplannable.Length} item(s) could not be planned (listed above), so their outputs look orphaned. Fix them, or drop them from the config, then clean.");
        }
        else
        {
            scan.Remove();
            output.WriteLine($"clean: removed {scan.Orphans.Count + scan.Leftovers.Count} file(s)");
        }
    }

    /// <summary>
    /// Every file the plan writes, and the items that could not be planned (a plate folder missing, say). Inputs are
    /// not kept as such: the output folders are checked to hold no input folder, and a well index takes whatever
    /// site files lie in its folder as inputs, orphans included.
    /// </summary>
    private (List<string> Keep, ItemProblem[] Unplannable) Plan()
    {
        var keep = new List<string>();
        var problems = new List<ItemProblem>();
        using var stages = new ItemStages(config, catalog, statCache);
        foreach (IStage stage in stages.All)
        {
            StageItems discovered = stage.Discover();
            keep.AddRange(discovered.Items.SelectMany(item => item.Outputs.Select(itemOutput => itemOutput.Path)));
            problems.AddRange(discovered.Problems);
        }

        // Stages that share sites report an unreadable plate once each.
        return (keep, problems.DistinctBy(problem => problem.ItemId).ToArray());
    }

    /// <summary>An output folder must hold outputs only: one that contains, or lies in, an input or state folder is refused.</summary>
    private void CheckOutputFolders(IEnumerable<(string Key, string Path)> roots)
    {
        (string Key, string? Path)[] guarded =
        [
            ("local.raw_images", config.Local.RawImages),
            ("local.metadata", config.Local.Metadata),
            ("local.state", config.Local.State),
            ("build.lock", lockStore.LockPath),
            ("the lock's manifests", lockStore.ManifestDirectory),
            ("extraction.model_path", config.Extraction.ModelPath),
        ];
        foreach ((string key, string folder) in roots)
        {
            foreach ((string guardedKey, string? guardedPath) in guarded)
            {
                // The metadata cache lives in the metadata folder by design; it is scanned alone.
                bool inside = IsWithin(folder, guardedPath) && !(folder == CacheFolder && guardedPath == config.Local.Metadata);
                if (guardedPath is not null && (inside || IsWithin(guardedPath, folder)))
                {
                    throw new ConfigException(
                        $"{config.SourceFile}: Clean will not scan {key} ({folder}): it {(inside ? "lies in" : "contains")} {guardedKey} ({guardedPath}). Output folders must hold outputs only.");
                }
            }
        }
    }

    private static bool IsWithin(string path, string? folder) =>
        folder is not null && (path == folder || path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private string Shown(string path)
    {
        string relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }

    private static string SizeOf(string path) => ProgressText.FormatBytes(new FileInfo(path).Length);
}
