using System.Globalization;
using System.Net;
using System.Xml;

namespace CellPainting.Stages.Download;

/// <summary>One ListObjectsV2 page: its objects and the token of the next page (null on the last).</summary>
internal sealed record ListPage(IReadOnlyList<ListedObject> Objects, string? NextContinuationToken)
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// Parses a ListBucketResult (ListObjectsV2). Keys are URL-decoded when the response says
    /// <c>EncodingType url</c>: S3 then writes a space as '+' and a '+' as %2B, as form encoding does. Anything that is
    /// not such a document throws <see cref="InvalidDataException"/> naming the bucket and prefix.
    /// </summary>
    public static ListPage Parse(Stream xml, string bucket, string prefix)
    {
        try
        {
            return Read(XmlReader.Create(xml, ReaderSettings), bucket, prefix);
        }
        catch (XmlException exception)
        {
            throw Malformed(bucket, prefix, exception.Message, exception);
        }
    }

    private static ListPage Read(XmlReader reader, string bucket, string prefix)
    {
        using (reader)
        {
            reader.MoveToContent();
            if (reader.LocalName != "ListBucketResult")
            {
                throw Malformed(bucket, prefix, $"the root element is <{reader.LocalName}>, not <ListBucketResult>", null);
            }

            var entries = new List<(string Key, string ETag, long Size)>();
            var truncated = false;
            var urlEncoded = false;
            string? nextToken = null;
            reader.ReadStartElement();
            while (reader.IsStartElement())
            {
                switch (reader.LocalName)
                {
                    case "Contents":
                        entries.Add(ReadContents(reader, bucket, prefix));
                        break;
                    case "IsTruncated":
                        truncated = reader.ReadElementContentAsBoolean();
                        break;
                    case "NextContinuationToken":
                        nextToken = reader.ReadElementContentAsString();
                        break;
                    case "EncodingType":
                        urlEncoded = reader.ReadElementContentAsString() == "url";
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (truncated && string.IsNullOrEmpty(nextToken))
            {
                throw Malformed(bucket, prefix, "the page is truncated but has no NextContinuationToken", null);
            }

            var objects = entries.ConvertAll(entry => new ListedObject(urlEncoded ? WebUtility.UrlDecode(entry.Key) : entry.Key, entry.ETag, entry.Size));
            return new ListPage(objects, truncated ? nextToken : null);
        }
    }

    private static (string Key, string ETag, long Size) ReadContents(XmlReader reader, string bucket, string prefix)
    {
        string? key = null;
        var etag = string.Empty;
        long? size = null;
        if (reader.IsEmptyElement)
        {
            throw Malformed(bucket, prefix, "an empty <Contents> element", null);
        }

        reader.ReadStartElement();
        while (reader.IsStartElement())
        {
            switch (reader.LocalName)
            {
                case "Key":
                    key = reader.ReadElementContentAsString();
                    break;
                case "ETag":
                    etag = ObjectVerifier.NormalizeETag(reader.ReadElementContentAsString());
                    break;
                case "Size":
                    var text = reader.ReadElementContentAsString();
                    size = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                        ? parsed
                        : throw Malformed(bucket, prefix, $"the size '{text}' of '{key}' is not a number", null);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        reader.ReadEndElement();
        if (key is null || size is null)
        {
            throw Malformed(bucket, prefix, $"an object without {(key is null ? "<Key>" : $"<Size> ('{key}')")}", null);
        }

        return (key, etag, size.Value);
    }

    private static InvalidDataException Malformed(string bucket, string prefix, string problem, Exception? inner) =>
        new($"The listing of s3://{bucket}/{prefix} is not a valid ListObjectsV2 response: {problem}.", inner);
}
