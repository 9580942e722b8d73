namespace CellPainting.Engine.Caching;

/// <summary>
/// Where cache objects live (a folder, a bucket): whole objects got, checked and put by key, never listed. A key
/// absent is an answer (null, false); a store that cannot answer throws <see cref="CacheUnavailableException"/>.
/// Implementations are called from several worker threads at once.
/// </summary>
public interface ICacheStore
{
    /// <summary>Where the store is, for messages: never carries credentials.</summary>
    string Location { get; }

    /// <summary>Checks the store answers at all (a lookup of a key nobody writes), so a required cache fails before any work.</summary>
    void Probe();

    /// <summary>The object under <paramref name="key"/>, or null when there is none.</summary>
    byte[]? TryGet(string key);

    /// <summary>Whether an object is under <paramref name="key"/>, without fetching it.</summary>
    bool Exists(string key);

    /// <summary>Puts <paramref name="content"/> under <paramref name="key"/> whole: a reader sees the old object or the new one, never a part.</summary>
    void Put(string key, byte[] content);
}
