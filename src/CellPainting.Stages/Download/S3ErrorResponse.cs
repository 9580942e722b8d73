using System.Net;
using System.Xml;
using Amazon.Runtime;
using Amazon.S3;

namespace CellPainting.Stages.Download;

/// <summary>
/// Turns an S3 error answer (status and its <c>&lt;Error&gt;</c> document) into the exception the SDK would have thrown,
/// so that a plain HTTP request is retried and described exactly as an SDK one.
/// </summary>
internal static class S3ErrorResponse
{
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The error document; may be empty or not XML (a proxy's page), then the status speaks alone.</param>
    /// <param name="subject">What was requested, for the message: an s3:// URL of an object or a listing.</param>
    public static AmazonS3Exception ToException(HttpStatusCode status, string body, string subject)
    {
        var (code, message, requestId) = Read(body);
        code ??= status.ToString();
        return new AmazonS3Exception(
            $"{message ?? code} ({subject})",
            (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender,
            code,
            requestId,
            status);
    }

    private static (string? Code, string? Message, string? RequestId) Read(string body)
    {
        string? code = null, message = null, requestId = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (!reader.EOF)
            {
                // Reading an element's content moves past it, onto the next node: only other nodes need a Read.
                switch (reader.NodeType == XmlNodeType.Element ? reader.LocalName : null)
                {
                    case "Code":
                        code = reader.ReadElementContentAsString();
                        break;
                    case "Message":
                        message = reader.ReadElementContentAsString();
                        break;
                    case "RequestId":
                        requestId = reader.ReadElementContentAsString();
                        break;
                    default:
                        reader.Read();
                        break;
                }
            }
        }
        catch (XmlException)
        {
            // Not an S3 error document: what was read so far (maybe nothing) and the status describe the fault.
        }

        return (code, message, requestId);
    }
}
