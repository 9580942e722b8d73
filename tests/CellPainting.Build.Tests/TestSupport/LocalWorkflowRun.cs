using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>
/// Runs a workflow's jobs on this machine as GitHub Actions would for a workflow_dispatch with default inputs: a job's
/// run steps in bash (-eo pipefail) in the repository root, with the workflow's env (less the overrides a test
/// gives), the step's env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY; checkout starts a fresh machine (the test's reset);
/// upload-artifact and download-artifact copy through a local artifact store with their path rules; the ${{ }}
/// expressions the workflow uses are evaluated (contexts env, inputs, github, matrix, steps, needs; '||', '==',
/// fromJSON). Anything else is an error, so the workflow cannot use what this does not check.
/// </summary>
internal sealed partial class LocalWorkflowRun
{
    private readonly WorkflowFile workflow;
    private readonly string root;
    private readonly string store;
    private readonly Action freshMachine;
    private readonly Dictionary<string, string> env;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> jobOutputs = new(StringComparer.Ordinal);

    public LocalWorkflowRun(WorkflowFile workflow, string repositoryRoot, string artifactStore, IReadOnlyDictionary<string, string> envOverrides, Action freshMachine)
    {
        this.workflow = workflow;
        root = repositoryRoot;
        store = artifactStore;
        this.freshMachine = freshMachine;
        env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in workflow.Env)
        {
            env[name] = envOverrides.TryGetValue(name, out string? given) ? given : Expand(value, null, null);
        }

        string[] unknown = envOverrides.Keys.Except(workflow.Env.Keys).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidDataException($"workflow env has no {string.Join(", ", unknown)} to override.");
        }
    }

    /// <summary>What each step did, in order: "job[matrix shard]: step", for the test to read.</summary>
    public List<string> Log { get; } = [];

    /// <summary>The matrix entries a job runs with: the include list its strategy.matrix expression evaluates to, or one run without a matrix.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>?> MatrixOf(WorkflowJob job)
    {
        if (job.Matrix is null)
        {
            return [null];
        }

        using JsonDocument matrix = JsonDocument.Parse(Expand(job.Matrix, null, null));
        return matrix.RootElement.GetProperty("include").EnumerateArray()
            .Select(entry => (IReadOnlyDictionary<string, string>?)entry.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.ToString(), StringComparer.Ordinal))
            .ToArray();
    }

    /// <summary>Runs every run of the job (one per matrix entry), in order; a failing step fails the test with its output.</summary>
    public void RunJob(WorkflowJob job)
    {
        string[] missing = job.Needs.Where(need => !jobOutputs.ContainsKey(need)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"job {job.Name} needs {string.Join(", ", missing)}, not run yet.");
        }

        foreach (IReadOnlyDictionary<string, string>? matrix in MatrixOf(job))
        {
            var steps = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            string label = matrix is null ? job.Name : $"{job.Name}[{matrix["shard"]}]";
            foreach (WorkflowStep step in job.Steps)
            {
                if (step.If is not null && Evaluate(step.If, matrix, steps) != "true")
                {
                    Log.Add($"{label}: skipped ({step.If})");
                    continue;
                }

                Dictionary<string, string> with = step.With.ToDictionary(pair => pair.Key, pair => Expand(pair.Value, matrix, steps), StringComparer.Ordinal);
                string action = step.Uses?.Split('@')[0] ?? "run";
                switch (action)
                {
                    case "actions/checkout":
                        freshMachine();
                        break;
                    case "actions/setup-dotnet":
                        break;
                    case "actions/upload-artifact":
                        Upload(with["name"], with["path"]);
                        break;
                    case "actions/download-artifact":
                        Download(with, with.TryGetValue("path", out string? path) ? path : ".");
                        break;
                    case "run":
                        Dictionary<string, string> outputs = RunScript(label, step, matrix, steps);
                        if (step.Id is not null)
                        {
                            steps[step.Id] = outputs;
                        }

                        break;
                    default:
                        throw new InvalidDataException($"{label}: this runner does not know the action {step.Uses}.");
                }

                Log.Add($"{label}: {(step.Run is null ? action : step.Run.Split('\n')[0])}");
            }

            jobOutputs[job.Name] = job.Outputs.ToDictionary(pair => pair.Key, pair => Expand(pair.Value, matrix, steps), StringComparer.Ordinal);
        }
    }

    private Dictionary<string, string> RunScript(string label, WorkflowStep step, IReadOnlyDictionary<string, string>? matrix, Dictionary<string, Dictionary<string, string>> steps)
    {
        string outputFile = Path.Combine(store, ".github-output");
        string summaryFile = Path.Combine(store, ".github-step-summary");
        File.WriteAllText(outputFile, string.Empty);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run! })
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in env)
        {
            start.Environment[name] = value;
        }

        foreach ((string name, string value) in step.Env)
        {
            start.Environment[name] = Expand(value, matrix, steps);
        }

        start.Environment["GITHUB_OUTPUT"] = outputFile;
        start.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{label}: step failed ({process.ExitCode}):\n{step.Run}\n--- stdout\n{stdout}\n--- stderr\n{stderr.Result}");
        }

        return File.ReadAllLines(outputFile).Where(line => line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }

    /// <summary>upload-artifact: one folder is stored as its contents, one file by name, several paths relative to their common folder.</summary>
    private void Upload(string name, string paths)
    {
        string[] sources = Lines(paths).Select(path => Path.GetFullPath(path, root)).ToArray();
        string target = Path.Combine(store, name);
        if (Directory.Exists(target))
        {
            throw new InvalidOperationException($"artifact {name} uploaded twice.");
        }

        foreach (string missing in sources.Where(source => !File.Exists(source) && !Directory.Exists(source)))
        {
            throw new FileNotFoundException($"upload-artifact {name}: no files at {missing}.");
        }

        string common = sources.Length == 1 ? (Directory.Exists(sources[0]) ? sources[0] : Path.GetDirectoryName(sources[0])!) : CommonFolder(sources);
        foreach (string source in sources)
        {
            Copy(source, Path.Combine(target, Path.GetRelativePath(common, source)));
        }
    }

    /// <summary>download-artifact: by name into path; by pattern each into path/&lt;name&gt;, or all into path with merge-multiple.</summary>
    private void Download(Dictionary<string, string> with, string path)
    {
        string destination = Path.GetFullPath(path, root);
        if (with.TryGetValue("name", out string? name))
        {
            Copy(Path.Combine(store, name), destination);
            return;
        }

        var pattern = new Regex("^" + Regex.Escape(with["pattern"]).Replace("\\*", ".*", StringComparison.Ordinal) + "$");
        bool merge = with.GetValueOrDefault("merge-multiple") == "true";
        string[] matched = Directory.EnumerateDirectories(store).Select(Path.GetFileName).Where(artifact => pattern.IsMatch(artifact!)).ToArray()!;
        if (matched.Length == 0)
        {
            throw new InvalidOperationException($"download-artifact: no artifact matches {with["pattern"]}.");
        }

        foreach (string artifact in matched)
        {
            Copy(Path.Combine(store, artifact), merge ? destination : Path.Combine(destination, artifact));
        }
    }

    private static void Copy(string source, string destination)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination, overwrite: true);
            return;
        }

        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    private static string CommonFolder(string[] paths)
    {
        string common = Path.GetDirectoryName(paths[0])!;
        while (!paths.All(path => path.StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            common = Path.GetDirectoryName(common)!;
        }

        return common;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Expand(string text, IReadOnlyDictionary<string, string>? matrix, Dictionary<string, Dictionary<string, string>>? steps) =>
        Expression().Replace(text, match => Evaluate(match.Groups[1].Value, matrix, steps));

    private string Evaluate(string expression, IReadOnlyDictionary<string, string>? matrix, Dictionary<string, Dictionary<string, string>>? steps)
    {
        string[] alternatives = expression.Split("||");
        if (alternatives.Length > 1)
        {
            return alternatives.Select(alternative => Evaluate(alternative, matrix, steps)).FirstOrDefault(value => value.Length > 0) ?? string.Empty;
        }

        string[] sides = expression.Split("==");
        if (sides.Length == 2)
        {
            return Evaluate(sides[0], matrix, steps) == Evaluate(sides[1], matrix, steps) ? "true" : "false";
        }

        string term = expression.Trim();
        if (term.StartsWith('\'') && term.EndsWith('\''))
        {
            return term[1..^1];
        }

        if (term.StartsWith("fromJSON(", StringComparison.Ordinal) && term.EndsWith(')'))
        {
            return Evaluate(term["fromJSON(".Length..^1], matrix, steps);
        }

        string[] path = term.Split('.');
        return path switch
        {
            ["env", var name] => env[name],
            ["inputs", var name] => string.Empty, // a dispatch without inputs: the workflow's own '||' defaults apply
            ["github", "event_name"] => "workflow_dispatch",
            ["github", "base_ref" or "token"] => string.Empty,
            ["github", "event", "pull_request", "number"] => string.Empty,
            ["matrix", var name] when matrix is not null => matrix[name],
            ["steps", var id, "outputs", var name] when steps is not null => steps[id][name],
            ["needs", var job, "outputs", var name] => jobOutputs[job][name],
            _ => throw new InvalidDataException($"workflow expression '{term}' is not one this runner evaluates."),
        };
    }

    [GeneratedRegex(@"\$\{\{\s*(.*?)\s*\}\}")]
    private static partial Regex Expression();
}
