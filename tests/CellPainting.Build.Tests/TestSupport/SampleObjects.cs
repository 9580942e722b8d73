using CellPainting.Stages.Configuration;
using CellPainting.Stages.Download;
using CellPainting.Stages.Sample;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>
/// The embedded sample as objects in the real CPJUMP1 key layout: the real platemap and external metadata files, and
/// the synthesised TIFFs (all eight channels) of two plates, two wells, one site each.
/// </summary>
internal static class SampleObjects
{
    public const string Batch = "2020_11_04_CPJUMP1";

    public static IReadOnlyList<string> Plates { get; } = ["BR00116991__2020-11-05T19_51_35-Measurement1", "BR00117000__2020-11-03T07_28_24-Measurement1"];

    public static string ImagesPrefix(string plate) => $"{CpJump1SyncUnits.DatasetPrefix}images/{Batch}/images/{plate}/Images/";

    /// <summary>Synthesises the sample into <paramref name="directory"/> with the Sample target's code and returns key → bytes.</summary>
    public static Dictionary<string, byte[]> Synthesise(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "sample.yml"), $$"""
            cpjump:
              batch: "{{Batch}}"
              plates: [{{string.Join(", ", Plates.Select(plate => $"\"{plate}\""))}}]
              sample: { image_size: 80, wells: ["A01", "A02"], sites: 1 }
            """);
        new SampleDataset(ConfigLoader.Load("sample.yml", directory)).EnsureWritten();

        var objects = SampleResources.Files
            .Where(file => file.StartsWith(CpJump1SyncUnits.DatasetPrefix, StringComparison.Ordinal))
            .ToDictionary(file => file, SampleResources.Read, StringComparer.Ordinal);
        foreach (string plate in Plates)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(directory, "data", "raw", Batch, plate, "Images")))
            {
                objects[ImagesPrefix(plate) + Path.GetFileName(file)] = File.ReadAllBytes(file);
            }
        }

        return objects;
    }
}
