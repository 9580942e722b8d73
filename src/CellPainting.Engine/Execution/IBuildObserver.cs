namespace CellPainting.Engine.Execution;

/// <summary>Hears about a run as it happens (progress bars, plain log lines). Called from worker threads.</summary>
public interface IBuildObserver
{
    /// <summary>More of a stage's items were listed, once per part: a stage's total grows while its parts are listed.</summary>
    void ItemsListed(string stage, int itemCount);

    void ItemFinished(string stage, ItemOutcome outcome);

    void StageFinished(StageReport report);
}
