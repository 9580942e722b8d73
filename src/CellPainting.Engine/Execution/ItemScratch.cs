namespace CellPainting.Engine.Execution;

/// <summary>
/// Values the stages building one item share while a worker handles it (inputs decoded once for two stages run
/// together). Closed when the worker is done with the item, so a run holds about one item's values per worker.
/// </summary>
public sealed class ItemScratch
{
    private readonly Lock gate = new();

    /// <summary>Made on first use: a no-op's items share nothing, and there is a scratch for each.</summary>
    private Dictionary<string, object>? values;
    private bool closed;

    /// <summary>The value under <paramref name="key"/>, created on first use; once closed, created afresh and not kept.</summary>
    public T Get<T>(string key, Func<T> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(create);
        lock (gate)
        {
            if (values?.TryGetValue(key, out object? value) == true)
            {
                return value as T ?? throw new InvalidOperationException($"Shared value '{key}' is a {value.GetType().Name}, not a {typeof(T).Name}.");
            }

            T created = create();
            if (!closed)
            {
                (values ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = created;
            }

            return created;
        }
    }

    /// <summary>Drops (and disposes) the values: later stages of a batch must not keep them alive while queued.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            if (values is null)
            {
                return;
            }

            foreach (object value in values.Values)
            {
                (value as IDisposable)?.Dispose();
            }

            values = null;
        }
    }
}
