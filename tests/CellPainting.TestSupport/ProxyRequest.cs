namespace CellPainting.TestSupport;

/// <summary>One request seen by the proxy, with the fault it got.</summary>
public sealed record ProxyRequest(string Method, string Path, string Query, bool HasAuthorization, ProxyFault Fault)
{
    /// <summary>The object key when this is a GET of an object in <paramref name="bucket"/>; null for listings and other requests.</summary>
    public string? ObjectKeyIn(string bucket)
    {
        var bucketPath = $"/{bucket}/";
        return Method == "GET" && Path.StartsWith(bucketPath, StringComparison.Ordinal) && Path.Length > bucketPath.Length
            ? Uri.UnescapeDataString(Path[bucketPath.Length..])
            : null;
    }

    /// <summary>True for a ListObjectsV2 request on <paramref name="bucket"/>.</summary>
    public bool IsListingOf(string bucket) =>
        Method == "GET" && Path.TrimEnd('/') == $"/{bucket}" && Query.Contains("list-type=2", StringComparison.Ordinal);
}
