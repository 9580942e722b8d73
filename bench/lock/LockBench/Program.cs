// Full-scale lock figures: writes the lock of a whole CPJUMP1 batch build (FullScaleLock, as the test bounds it)
// and two changed copies, prints the committed sizes, and times LockDiff (read + compare + render) on them.
// Usage: LockBench <work dir>; leaves base/, site/ (one tensor site changed) and model/ (another feature model).
using System.Diagnostics;
using System.Globalization;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.LockFiles;

string work = Path.GetFullPath(args.Length > 0 ? args[0] : throw new ArgumentException("usage: LockBench <work dir>"));
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var stopwatch = Stopwatch.StartNew();
var baseline = new LockStore(Path.Combine(work, "base", "data.lock.json"));
FullScaleLock.Write(baseline);
Console.WriteLine($"write full-scale lock through LockStore: {stopwatch.Elapsed.TotalSeconds:F2} s");

var site = new LockStore(Path.Combine(work, "site", "data.lock.json"));
FullScaleLock.Write(site);
BuildRecord[] records = FullScaleLock.SiteRecords(FullScaleLock.Tensors, "tensor", "tensors");
int changed = (17 * FullScaleLock.SitesPerPlate) + 1234;
records[changed] = records[changed] with { Outputs = [new HashedName("tensor", new string('0', 64))] };
FullScaleLock.RecordSites(site, FullScaleLock.Tensors, FullScaleLock.TensorParameters, records);
FullScaleLock.Write(new LockStore(Path.Combine(work, "model", "data.lock.json")), "model-2");

Console.WriteLine();
Console.WriteLine("== committed sizes (base)");
string[] manifests = Directory.EnumerateFiles(baseline.ManifestDirectory, "*.tsv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
long total = manifests.Sum(path => new FileInfo(path).Length);
Console.WriteLine($"data.lock.json: {new FileInfo(baseline.LockPath).Length:N0} bytes");
Console.WriteLine($"manifests: {manifests.Length} files, {total:N0} bytes ({total / 1e6:F1} MB)");
foreach (IGrouping<string, string> target in manifests.GroupBy(path => Path.GetFileName(Path.GetDirectoryName(path))!))
{
    string largest = target.MaxBy(path => new FileInfo(path).Length)!;
    Console.WriteLine($"  {target.Key,-9} {target.Count(),3} files, {target.Sum(path => new FileInfo(path).Length) / 1e6,6:F1} MB, largest {Path.GetFileName(largest)} {new FileInfo(largest).Length / 1e6:F2} MB ({File.ReadLines(largest).Count() - 1:N0} lines)");
}

Console.WriteLine();
Console.WriteLine("== LockDiff from files (read + compare + markdown), best of 5");
foreach ((string name, string label) in new[] { ("site", "one tensor site changed"), ("model", "feature model changed: every feature") })
{
    string markdown = string.Empty;
    TimeSpan best = TimeSpan.MaxValue;
    for (int run = 0; run < 5; run++)
    {
        stopwatch.Restart();
        LockDiff diff = LockDiff.Between(FileLockSnapshot.Open(baseline.LockPath, "base/data.lock.json"), FileLockSnapshot.Open(Path.Combine(work, name, "data.lock.json"), $"{name}/data.lock.json"));
        markdown = LockDiffMarkdown.Render(diff);
        best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
    }

    File.WriteAllText(Path.Combine(work, name + ".md"), markdown);
    Console.WriteLine($"{label}: {best.TotalMilliseconds:F0} ms, markdown {markdown.Split('\n').Length - 1} lines ({name}.md)");
}
