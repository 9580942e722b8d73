using CellPainting.Stages.Download;

namespace CellPainting.Build;

/// <summary>What the Download target does with a sync plan: carry it out, or only say what it would do (a dry run is a strategy).</summary>
internal interface IDownloadStrategy
{
    void Apply(S3Synchronizer synchronizer, SyncPlan plan);
}
