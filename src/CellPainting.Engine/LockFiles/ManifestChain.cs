using CellPainting.Engine.Caching;

namespace CellPainting.Engine.LockFiles;

/// <summary>
/// Manifests looked up place by place, in order (the lock's <c>.d</c> folder or git revision, then local state,
/// then the shared cache): each place is asked only for what the places before it did not have with the lock's
/// digest, and bytes count as found only when they hash to it. Every answer is kept for the messages.
/// </summary>
public sealed class ManifestChain
{
    private readonly IReadOnlyList<IManifestPlace> places;

    public ManifestChain(IReadOnlyList<IManifestPlace> places)
    {
        ArgumentNullException.ThrowIfNull(places);
        if (places.Count == 0)
        {
            throw new ArgumentException("A chain needs at least one place to look.", nameof(places));
        }

        this.places = places;
    }

    public IReadOnlyList<ManifestLookup> Find(IReadOnlyList<ManifestRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var answers = requests.Select(_ => new List<ManifestAnswer>()).ToArray();
        var found = new byte[]?[requests.Count];
        foreach (IManifestPlace place in places)
        {
            int[] open = Enumerable.Range(0, requests.Count).Where(index => found[index] is null).ToArray();
            if (open.Length == 0)
            {
                break;
            }

            ManifestRequest[] asked = open.Select(index => requests[index]).ToArray();
            IReadOnlyList<byte[]?> contents;
            string? unreachable = null;
            try
            {
                contents = place.Read(asked);
            }
            catch (CacheUnavailableException exception)
            {
                // A place that cannot answer is one more place that did not have it; the message says why.
                contents = new byte[]?[asked.Length];
                unreachable = exception.Message;
            }

            for (int position = 0; position < open.Length; position++)
            {
                int index = open[position];
                answers[index].Add(new ManifestAnswer(place.NameOf(asked[position]), contents[position], unreachable));
                if (contents[position] is { } content && ItemManifest.DigestOf(content) == requests[index].Digest)
                {
                    found[index] = content;
                }
            }
        }

        return requests.Select((request, index) => new ManifestLookup(request, found[index], answers[index])).ToArray();
    }
}
