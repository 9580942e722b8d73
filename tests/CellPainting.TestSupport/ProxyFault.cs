namespace CellPainting.TestSupport;

/// <summary>What the fault-injecting proxy does to one request.</summary>
public enum ProxyFault
{
    /// <summary>Forward unchanged.</summary>
    None,

    /// <summary>Answer 500 InternalError without asking moto.</summary>
    InternalError,

    /// <summary>Answer 503 SlowDown, S3's throttling reply.</summary>
    SlowDown,

    /// <summary>Drop the connection before any response.</summary>
    ResetConnection,

    /// <summary>Send the real headers (full Content-Length) and half the body, then drop the connection.</summary>
    TruncateBody,

    /// <summary>Send the full-length body with one byte flipped, so only an MD5 check can tell.</summary>
    CorruptBody,

    /// <summary>Send the headers and half the body, then go silent longer than the client's timeout.</summary>
    StallBody,
}
