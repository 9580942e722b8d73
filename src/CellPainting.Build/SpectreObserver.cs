using System.Collections.Concurrent;
using CellPainting.Engine.Execution;
using Spectre.Console;

namespace CellPainting.Build;

/// <summary>A live progress bar per stage (items done/total, rate, time left) on an interactive terminal; stages run together get one each.</summary>
internal sealed class SpectreObserver : IBuildObserver
{
    private readonly ProgressContext context;
    private readonly ConcurrentDictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);

    public SpectreObserver(ProgressContext context) => this.context = context;

    public void ItemsListed(string stage, int itemCount)
    {
        if (tasks.TryGetValue(stage, out ProgressTask? task))
        {
            task.MaxValue += itemCount;
            return;
        }

        tasks[stage] = context.AddTask(stage, maxValue: Math.Max(1, itemCount));
    }

    public void ItemFinished(string stage, ItemOutcome outcome)
    {
        if (tasks.TryGetValue(stage, out ProgressTask? task))
        {
            task.Increment(1);
        }
    }

    public void StageFinished(StageReport report)
    {
        if (tasks.TryGetValue(report.Stage, out ProgressTask? task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
