namespace CellPainting.Build.Tests.TestSupport;

/// <summary>A step of a GitHub Actions job: an action (<see cref="Uses"/> with its <see cref="With"/>) or a shell script (<see cref="Run"/>).</summary>
internal sealed record WorkflowStep(string? Id, string? Uses, string? Run, string? If, IReadOnlyDictionary<string, string> Env, IReadOnlyDictionary<string, string> With);
