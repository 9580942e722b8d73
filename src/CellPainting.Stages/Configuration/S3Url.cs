namespace CellPainting.Stages.Configuration;

/// <summary>An <c>s3://bucket/prefix</c> URL split into the bucket and a key prefix that is empty or ends in '/'.</summary>
public sealed record S3Url(string Bucket, string Prefix)
{
    public const string Scheme = "s3://";

    public static bool TryParse(string text, out S3Url? url)
    {
        ArgumentNullException.ThrowIfNull(text);
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme != "s3" || uri.Host.Length == 0)
        {
            return false;
        }

        string prefix = uri.AbsolutePath.Trim('/');
        url = new S3Url(uri.Host, prefix.Length == 0 ? string.Empty : prefix + "/");
        return true;
    }

    public override string ToString() => $"{Scheme}{Bucket}/{Prefix}";
}
