using CellPainting.Engine.Caching;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>A store whose puts wait until the gate opens: a slow network, held still so a test can look at the run meanwhile.</summary>
public sealed class GatedCacheStore : ICacheStore, IDisposable
{
    private readonly ICacheStore inner;
    private readonly ManualResetEventSlim gate = new(false);

    public GatedCacheStore(ICacheStore inner)
    {
        this.inner = inner;
    }

    public string Location => inner.Location;

    public void Open() => gate.Set();

    public void Probe() => inner.Probe();

    public byte[]? TryGet(string key) => inner.TryGet(key);

    public bool Exists(string key) => inner.Exists(key);

    public void Put(string key, byte[] content)
    {
        gate.Wait();
        inner.Put(key, content);
    }

    public void Dispose() => gate.Dispose();
}
