using System.Text;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Locking;
using CellPainting.Engine.State;
using CellPainting.Stages.Imaging;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>
/// A small synthesised sample data root in a temp folder (two real plates, one site per well, one incomplete site),
/// with its config, runs of the real targets, and snapshots of what they wrote. Deleted on dispose.
/// </summary>
public sealed class SampleRoot : IDisposable
{
    public const string FirstPlate = "BR00116991__2020-11-05T19_51_35-Measurement1";
    public const string SecondPlate = "BR00117000__2020-11-03T07_28_24-Measurement1";

    public SampleRoot(int tensorSize = 32)
    {
        Root = Directory.CreateTempSubdirectory("cellpainting-build-").FullName;
        WriteConfig(tensorSize);
        using DataBuild build = Open();
        build.Sample();
    }

    public string Root { get; }

    public string LockPath => PathOf("data.lock.json");

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public DataBuild Open(bool explain = false, TextWriter? output = null) =>
        DataBuild.Open(new BuildOptions(Root, "sample.yml", explain, TimeSpan.Zero), output ?? TextWriter.Null);

    /// <summary>Runs a target in a session of its own; returns what it printed and the failure it ended with, if any.</summary>
    public (string Output, BuildFailedException? Error) Run(Action<DataBuild> target)
    {
        var output = new StringWriter();
        using DataBuild build = Open(output: output);
        try
        {
            target(build);
            return (output.ToString(), null);
        }
        catch (BuildFailedException exception)
        {
            return (output.ToString(), exception);
        }
    }

    /// <summary>The main job's item targets, in order, as the Default target runs them.</summary>
    public void RunAll()
    {
        using DataBuild build = Open();
        build.TensorsAndFeatures();
        build.Metadata();
        build.Splits();
        build.WellIndex();
    }

    /// <summary>The files under an output folder other than the builds' run locks (none when it does not exist).</summary>
    public static string[] FilesUnder(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(path => !RunLock.IsOutputLock(path)).ToArray()
            : [];

    /// <summary>Every file under the root, by path relative to it, for which <paramref name="include"/> holds.</summary>
    public Dictionary<string, byte[]> Snapshot(Func<string, bool> include) =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(path => !RunLock.IsOutputLock(path)) // run locks: no outputs, and held open
            .Select(path => Path.GetRelativePath(Root, path))
            .Where(include)
            .ToDictionary(path => path, path => File.ReadAllBytes(PathOf(path)));

    /// <summary>Every output and lock file (local state and raw images excluded).</summary>
    public Dictionary<string, byte[]> Snapshot() =>
        Snapshot(path => !path.Contains($".cpbuild{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && !path.StartsWith($"data{Path.DirectorySeparatorChar}raw{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>The lock and its manifests.</summary>
    public Dictionary<string, byte[]> LockSnapshot() =>
        Snapshot(path => path.StartsWith("data.lock", StringComparison.Ordinal));

    /// <param name="sections">Further one-line sections of <c>cpjump</c>, such as <c>cache: { ... }</c>.</param>
    /// <param name="extraBuild">Further keys of the <c>build</c> section, each starting with ", ".</param>
    public void WriteConfig(int tensorSize = 32, IReadOnlyList<string>? plates = null, string device = "cpu", string extraLocal = "", string? model = null, string modelSha256 = TinyModel.Sha256, string layout = "reference", IReadOnlyList<string>? sections = null, string extraBuild = "")
    {
        string further = string.Concat((sections ?? []).Select(section => $"\n  {section}"));
        string plateList = string.Join(", ", (plates ?? [FirstPlate, SecondPlate]).Select(plate => $"\"{plate}\""));
        File.WriteAllText(PathOf("sample.yml"), $"""
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates: [{plateList}]
              local: {"{"} raw_images: "data/raw"{extraLocal} {"}"}
              {TinyModel.ExtractionSectionFor(model ?? TinyModel.Path, modelSha256, layout, device)}
              tensors: {"{"} size: {tensorSize} {"}"}
              build: {"{"} parallelism: 2{extraBuild} {"}"}
              sample: {"{"} image_size: 80, wells: ["A01", "A02"], sites: 1, incomplete_sites: ["BR00116991/r01c02f01:ch3"] {"}"}{further}
            """);
    }

    /// <summary>
    /// Replaces a site file with other bytes and records them in the lock as a build would have (manifest line, the
    /// group's digest, the folder's well index rebuilt): a lock consistent with the disk but not with what the inputs give.
    /// </summary>
    public void RecordOtherBytes(string target, string itemId, string outputPath, byte[] content)
    {
        File.WriteAllBytes(outputPath, content);
        string group = itemId.Split('/')[0];
        string manifestPath = PathOf("data.lock.d", target, group + ".tsv");
        byte[] before = File.ReadAllBytes(manifestPath);
        string[] lines = Encoding.UTF8.GetString(before).Split('\n');
        int index = Array.FindIndex(lines, line => line.StartsWith(itemId + "\t", StringComparison.Ordinal));
        string[] fields = lines[index].Split('\t');
        string name = fields[2].Split('=')[0];
        lines[index] = $"{fields[0]}\t{fields[1]}\t{name}={ContentHash.Of(content)}";
        byte[] after = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        File.WriteAllBytes(manifestPath, after);
        File.WriteAllText(LockPath, File.ReadAllText(LockPath).Replace(ItemManifest.DigestOf(before), ItemManifest.DigestOf(after), StringComparison.Ordinal));
        using DataBuild build = Open();
        build.WellIndex();
    }

    /// <summary>Flips bits of one pixel in channel 2 of the first plate's first site, so its tensor and features change on the next build.</summary>
    public void ChangeFirstSiteTiff()
    {
        string tiff = Directory.EnumerateFiles(PathOf("data", "raw"), "r01c01f01p01-ch2sk1fk1fl1.tiff", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        Gray16Image image = TiffDecoder.DecodeFile(tiff);
        image.Pixels[0] ^= 0x0101;
        File.WriteAllBytes(tiff, TiffEncoder.Encode(image, new TiffEncoding(TiffCompression.Lzw, horizontalPredictor: true, rowsPerStrip: 16, tileSize: 0)));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
