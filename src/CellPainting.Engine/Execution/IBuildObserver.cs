namespace CellPainting.Engine.Execution;

/// <summary>Hears about a run as it happens (progress bars, plain log lines). Called from worker threads.</summary>
public interface IBuildObserver
{
    void StageStarted(string stage, int itemCount);

    void ItemFinished(string stage, ItemOutcome outcome);

    void StageFinished(StageReport report);
}
