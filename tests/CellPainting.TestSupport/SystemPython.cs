using System.Diagnostics;

namespace CellPainting.TestSupport;

/// <summary>
/// Runs Debian's /usr/bin/python3 (torch 1.13, numpy) as an independent oracle. Tests that need it are
/// ignored, with the reason, where the interpreter or a module is missing; CI installs both.
/// </summary>
public static class SystemPython
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Dictionary<string, bool> ModuleAvailability = [];

    /// <summary>Ignores the calling test unless /usr/bin/python3 can import every one of <paramref name="modules"/>.</summary>
    public static void Require(params string[] modules)
    {
        if (!File.Exists(Interpreter))
        {
            Assert.Ignore($"{Interpreter} is not installed; this oracle test runs where it is (CI installs python3, python3-torch, python3-numpy).");
        }

        foreach (string module in modules)
        {
            bool available;
            lock (ModuleAvailability)
            {
                if (!ModuleAvailability.TryGetValue(module, out available))
                {
                    available = Execute($"import {module}", [], out _, out _) == 0;
                    ModuleAvailability[module] = available;
                }
            }

            if (!available)
            {
                Assert.Ignore($"Python module '{module}' is not importable by {Interpreter}; this oracle test runs where it is (CI installs it).");
            }
        }
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> (sys.argv[1:]); fails the test on a non-zero exit. Returns stdout.</summary>
    public static string Run(string script, params string[] arguments)
    {
        int exitCode = Execute(script, arguments, out string output, out string error);
        if (exitCode != 0)
        {
            Assert.Fail($"{Interpreter} exited with {exitCode}.\nstdout:\n{output}\nstderr:\n{error}");
        }

        return output;
    }

    private static int Execute(string script, IReadOnlyList<string> arguments, out string output, out string error)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // One thread: the oracle must not compete with the test run for the machine's cores.
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var errorTask = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd();
        error = errorTask.GetAwaiter().GetResult();
        process.WaitForExit();
        return process.ExitCode;
    }
}
