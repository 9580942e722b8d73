using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Planning;

/// <summary>
/// Finds the content hash of each input of an item: from the stat cache when the file's stamp is unchanged,
/// else by reading the file once and keeping its bytes for the build, so no input is read twice. An input absent here
/// but fetchable (<see cref="ItemInput.Remote"/>) stands by its recorded digest; nothing is fetched to resolve it.
/// </summary>
public sealed class InputResolver
{
    private readonly StatCache statCache;

    public InputResolver(StatCache statCache)
    {
        ArgumentNullException.ThrowIfNull(statCache);
        this.statCache = statCache;
    }

    public ResolvedInputs Resolve(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var hashes = new HashedName[item.Inputs.Count];
        var stamps = new FileStamp?[item.Inputs.Count];
        var loaded = new Dictionary<string, InputBytes>(StringComparer.Ordinal);
        var remote = new bool[item.Inputs.Count];
        for (int index = 0; index < item.Inputs.Count; index++)
        {
            ItemInput input = item.Inputs[index];
            FileStamp? found = FileStatReader.TryRead(input.Path);
            if (found is not FileStamp stamp)
            {
                IRemoteInput source = input.Remote ?? throw new ItemFailedException($"input {input.Name} is missing: {input.Path}");
                remote[index] = true;
                // An unknown digest stays empty until a strategy that builds fetches the input (ResolvedInputs.FetchUnknown).
                hashes[index] = new HashedName(input.Name, source.Sha256 ?? string.Empty);
                continue;
            }

            if (!statCache.TryGetHash(input.Path, stamp, out string hash))
            {
                InputBytes bytes = InputBytes.ReadStable(input.Path, stamp);
                hash = ContentHash.Of(bytes.Span);
                statCache.Record(input.Path, stamp, hash);
                loaded[input.Name] = bytes;
            }

            hashes[index] = new HashedName(input.Name, hash);
            stamps[index] = stamp;
        }

        return new ResolvedInputs(item, hashes, stamps, loaded, remote, statCache);
    }
}
