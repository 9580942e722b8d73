namespace CellPainting.Stages.Download;

/// <summary>An object's body as a GET returned it, to be read once; disposing it releases the response.</summary>
internal sealed class S3ObjectBody : IDisposable
{
    private readonly IDisposable _response;

    public S3ObjectBody(Stream body, long contentLength, IDisposable response)
    {
        Body = body;
        ContentLength = contentLength;
        _response = response;
    }

    public Stream Body { get; }

    /// <summary>The announced length; negative when the store sent none (chunked).</summary>
    public long ContentLength { get; }

    public void Dispose() => _response.Dispose();
}
