using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Verification;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>A <see cref="CopyProject"/> of four items in a temp folder, built once and recorded in a lock beside it.</summary>
public sealed class LockedCopyProject : IDisposable
{
    public LockedCopyProject()
    {
        Temp = new TempDirectory();
        Project = new CopyProject(Temp.Root, itemCount: 4);
        Store = new LockStore(Temp.PathOf("data.lock.json"));
        Store.Record(Project.Stage, Project.Run().CurrentRecords);
    }

    public TempDirectory Temp { get; }

    public CopyProject Project { get; }

    public LockStore Store { get; }

    /// <summary>The copy stage's items as the lock records them now.</summary>
    public LockedTarget Read() => LockedTarget.Read(Store, "copy", Store.Load().Targets["copy"]);

    public void Dispose() => Temp.Dispose();
}
