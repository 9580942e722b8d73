using CellPainting.Engine.Items;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>An object in a pretend bucket: serves its bytes, counts the fetches, and can be made to fail or to serve other bytes.</summary>
public sealed class FakeRemoteInput : IRemoteInput
{
    private readonly byte[] content;
    private int fetches;

    public FakeRemoteInput(string location, byte[] content, bool recorded = true, bool keepLocal = false)
    {
        Location = location;
        this.content = content;
        Sha256 = recorded ? ContentHash.Of(content) : null;
        KeepLocal = keepLocal;
    }

    public string Location { get; }

    public long Size => content.LongLength;

    public string? Sha256 { get; set; }

    public bool KeepLocal { get; }

    /// <summary>When set, what a fetch delivers instead of the listed content (a tampered object, a wrong record).</summary>
    public byte[]? Serves { get; set; }

    /// <summary>When set, a fetch throws this.</summary>
    public Exception? FailsWith { get; set; }

    public int Fetches => Volatile.Read(ref fetches);

    public async Task<RemoteBytes> FetchAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref fetches);
        await Task.Yield();
        if (FailsWith is not null)
        {
            throw FailsWith;
        }

        byte[] bytes = Serves ?? content;
        return new RemoteBytes(bytes.ToArray(), ContentHash.Of(bytes));
    }
}
