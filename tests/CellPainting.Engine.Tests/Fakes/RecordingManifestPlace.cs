using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>A manifest place holding given bytes per group, that records what it was asked, or cannot answer at all.</summary>
public sealed class RecordingManifestPlace(string name, Dictionary<GroupKey, byte[]>? contents = null, bool unreachable = false) : IManifestPlace
{
    public List<GroupKey> Asked { get; } = [];

    public string NameOf(ManifestRequest request) => $"{name}:{request.Key.Target}/{request.Key.Group}";

    public IReadOnlyList<byte[]?> Read(IReadOnlyList<ManifestRequest> requests)
    {
        Asked.AddRange(requests.Select(request => request.Key));
        return unreachable
            ? throw new CacheUnavailableException($"{name} is down")
            : requests.Select(request => contents?.GetValueOrDefault(request.Key)).ToArray();
    }
}
