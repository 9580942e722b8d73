using System.Globalization;
using CellPainting.Stages.Download;
using Spectre.Console;

namespace CellPainting.Build;

/// <summary>A live transfer bar on an interactive terminal: objects done/total, bytes, rate and time left.</summary>
internal sealed class SpectreTransferDisplay : ITransferDisplay, IProgress<SyncProgress>
{
    private readonly string stage;
    private ProgressTask? task;

    public SpectreTransferDisplay(string stage) => this.stage = stage;

    public T Run<T>(Func<IProgress<SyncProgress>, T> transfer)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                task = context.AddTask(stage, maxValue: 1);
                result = transfer(this);
                task.StopTask();
            });
        return result;
    }

    // ProgressTask locks its own state, so reports from parallel transfers may update it directly.
    public void Report(SyncProgress value)
    {
        ProgressTask current = task ?? throw new InvalidOperationException("Progress was reported outside Run.");
        current.MaxValue = Math.Max(1, value.BytesTotal);
        current.Value = value.BytesDone;
        current.Description = string.Create(CultureInfo.InvariantCulture, $"{stage} {value.ObjectsDone}/{value.ObjectsTotal} objects");
    }
}
