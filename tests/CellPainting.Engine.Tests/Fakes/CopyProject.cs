using System.Text;
using CellPainting.Engine.Caching;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>
/// A small data root on disk for <see cref="CopyStage"/>: items site-01.. with inputs "left" and "right" under in/,
/// one output each under out/, engine state under state/. Each run uses a fresh <see cref="Workspace"/>, as a new
/// process would, so the stat cache and build log go through the disk between runs.
/// </summary>
public sealed class CopyProject
{
    public CopyProject(string root, int itemCount)
    {
        Root = root;
        var items = new List<WorkItem>();
        for (int index = 1; index <= itemCount; index++)
        {
            string id = $"site-{index:D2}";
            string group = index % 2 == 1 ? "plate-A" : "plate-B";
            foreach (string name in InputNames)
            {
                WriteInput(id, name, $"{id} {name}\n");
            }

            items.Add(new WorkItem(
                id,
                group,
                InputNames.Select(name => new ItemInput(name, InputPath(id, name))).ToArray(),
                [new ItemOutput("out", OutputPath(id))]));
        }

        Stage = new CopyStage(items);
    }

    public static IReadOnlyList<string> InputNames { get; } = ["left", "right"];

    public string Root { get; }

    public CopyStage Stage { get; }

    public string StateDirectory => Path.Combine(Root, "state");

    public string LogFolder => new Workspace(StateDirectory, 1).LogFolderFor(Stage.Name);

    /// <summary>The build log's files (one per group) by name, with their bytes; empty when there is none.</summary>
    public Dictionary<string, byte[]> LogFiles() =>
        Directory.Exists(LogFolder)
            ? Directory.GetFiles(LogFolder).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes, StringComparer.Ordinal)
            : [];

    /// <summary>The build log's files by name, with their stamps (a rewrite or an append changes one).</summary>
    public Dictionary<string, FileStamp> LogStamps() =>
        Directory.GetFiles(LogFolder).ToDictionary(path => Path.GetFileName(path), path => FileStatReader.TryRead(path)!.Value, StringComparer.Ordinal);

    public string StatCacheFolder => Workspace.StatCacheFolderFor(StateDirectory);

    public IEnumerable<string> ItemIds => Stage.Items.Select(item => item.Id);

    public string InputPath(string itemId, string name) => Path.Combine(Root, "in", $"{itemId}.{name}.txt");

    public string OutputPath(string itemId) => Path.Combine(Root, "out", $"{itemId}.txt");

    public void WriteInput(string itemId, string name, string text)
    {
        string path = InputPath(itemId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
    }

    public string ReadOutput(string itemId) => File.ReadAllText(OutputPath(itemId));

    public StageReport Run(bool dryRun = false, int parallelism = 1, IBuildObserver? observer = null, ItemCache? cache = null)
    {
        Stage.ResetCounts();
        var workspace = new Workspace(StateDirectory, parallelism);
        return new StageRunner(workspace, observer ?? new RecordingObserver(), cache).Run(Stage, dryRun);
    }
}
