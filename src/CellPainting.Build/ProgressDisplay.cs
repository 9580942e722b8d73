using CellPainting.Engine.Execution;
using Spectre.Console;

namespace CellPainting.Build;

/// <summary>Runs work that reports to an observer: live progress bars on an interactive terminal, plain lines otherwise.</summary>
internal static class ProgressDisplay
{
    /// <summary>True when output goes to an interactive terminal, where live bars replace plain lines.</summary>
    public static bool IsInteractive(TextWriter output) =>
        !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out) && AnsiConsole.Profile.Capabilities.Interactive;

    /// <param name="everyItemIsWork">True when every item costs time (hashing), so the rate counts them all, not only items built.</param>
    public static T Run<T>(TextWriter output, Func<IBuildObserver, T> work, bool everyItemIsWork = false)
    {
        if (IsInteractive(output))
        {
            T? result = default;
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context => result = work(new SpectreObserver(context)));
            return result!;
        }

        return work(new PlainObserver(output, everyItemIsWork));
    }
}
