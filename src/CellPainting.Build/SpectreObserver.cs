using CellPainting.Engine.Execution;
using Spectre.Console;

namespace CellPainting.Build;

/// <summary>A live progress bar per stage (items done/total, rate, time left) on an interactive terminal.</summary>
internal sealed class SpectreObserver : IBuildObserver
{
    private readonly ProgressContext context;
    private ProgressTask? task;

    public SpectreObserver(ProgressContext context) => this.context = context;

    public void StageStarted(string stage, int itemCount)
    {
        task = context.AddTask(stage, maxValue: Math.Max(1, itemCount));
    }

    public void ItemFinished(string stage, ItemOutcome outcome) => task?.Increment(1);

    public void StageFinished(StageReport report)
    {
        if (task is not null)
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
