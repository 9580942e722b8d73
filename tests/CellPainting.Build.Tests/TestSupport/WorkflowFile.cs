using YamlDotNet.RepresentationModel;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>A GitHub Actions workflow file parsed with YamlDotNet: its top-level env, dispatch inputs and jobs, in file order.</summary>
internal sealed class WorkflowFile
{
    private WorkflowFile(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> inputDefaults, IReadOnlyList<WorkflowJob> jobs)
    {
        Env = env;
        InputDefaults = inputDefaults;
        Jobs = jobs;
    }

    public IReadOnlyDictionary<string, string> Env { get; }

    public IReadOnlyDictionary<string, string> InputDefaults { get; }

    public IReadOnlyList<WorkflowJob> Jobs { get; }

    public WorkflowJob Job(string name) => Jobs.Single(job => job.Name == name);

    public static WorkflowFile Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var dispatch = (YamlMappingNode)Map(Map(root, "on"), "workflow_dispatch");
        var inputs = ((YamlMappingNode)Map(dispatch, "inputs")).Children
            .ToDictionary(pair => Text(pair.Key), pair => Text(Map(pair.Value, "default")), StringComparer.Ordinal);
        var jobs = ((YamlMappingNode)Map(root, "jobs")).Children.Select(pair => Job(Text(pair.Key), (YamlMappingNode)pair.Value)).ToArray();
        return new WorkflowFile(Strings(root, "env"), inputs, jobs);
    }

    private static WorkflowJob Job(string name, YamlMappingNode job)
    {
        IReadOnlyList<string> needs = Optional(job, "needs") switch
        {
            null => [],
            YamlSequenceNode list => list.Children.Select(Text).ToArray(),
            YamlNode single => [Text(single)],
        };
        string? matrix = Optional(job, "strategy") is YamlMappingNode strategy ? Text(Map(strategy, "matrix")) : null;
        WorkflowStep[] steps = ((YamlSequenceNode)Map(job, "steps")).Children.Cast<YamlMappingNode>().Select(step => new WorkflowStep(
            OptionalText(step, "id"), OptionalText(step, "uses"), OptionalText(step, "run"), OptionalText(step, "if"), Strings(step, "env"), Strings(step, "with"))).ToArray();
        return new WorkflowJob(name, needs, Text(Map(job, "runs-on")), matrix, Strings(job, "outputs"), steps);
    }

    private static YamlNode Map(YamlNode node, string key) =>
        Optional((YamlMappingNode)node, key) ?? throw new InvalidDataException($"workflow: no '{key}' at line {node.Start.Line}.");

    private static YamlNode? Optional(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;

    private static string? OptionalText(YamlMappingNode node, string key) => Optional(node, key) is { } value ? Text(value) : null;

    private static Dictionary<string, string> Strings(YamlMappingNode node, string key) =>
        Optional(node, key) is YamlMappingNode map
            ? map.Children.ToDictionary(pair => Text(pair.Key), pair => Text(pair.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;
}
