using System.Diagnostics;
using System.Text;

namespace CellPainting.Build.Tests;

/// <summary>
/// This test assembly run as a program: builds the Tensors target of a data root in a process of its own, so a test
/// can kill it mid-run. Arguments: the root and its config, as <see cref="BuildOptions"/> takes them, and optionally
/// a shard (K/N) and its run.
/// </summary>
public static class ChildBuild
{
    public static int Main(string[] args)
    {
        var options = new BuildOptions(args[0], args[1], Explain: false, TimeSpan.Zero);
        using DataBuild build = DataBuild.Open(args.Length > 3 ? options.WithSharding(args[2], null, args[3]) : options);
        build.Tensors();
        return 0;
    }

    /// <summary>Starts the build in a child process; its output (stdout and stderr) collects in <paramref name="output"/>.</summary>
    public static Process Start(string root, string config, StringBuilder output, params string[] shard)
    {
        // The dotnet host that runs the tests runs the child too (the CLI names it in DOTNET_HOST_PATH).
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { typeof(ChildBuild).Assembly.Location, root, config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in shard)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Collect(output, line.Data);
        process.ErrorDataReceived += (_, line) => Collect(output, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Collect(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
