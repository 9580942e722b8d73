namespace CellPainting.Build.Tests.TestSupport;

/// <summary>A job of a GitHub Actions workflow as the tests read it: its graph edges, runner, matrix, outputs and steps.</summary>
internal sealed record WorkflowJob(
    string Name,
    IReadOnlyList<string> Needs,
    string RunsOn,
    string? Matrix,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<WorkflowStep> Steps);
