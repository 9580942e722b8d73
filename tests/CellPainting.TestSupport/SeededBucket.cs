using Amazon.S3;
using Amazon.S3.Model;

namespace CellPainting.TestSupport;

/// <summary>
/// A publicly readable moto bucket, like the Cell Painting Gallery's, that remembers the current content of every
/// object it was given, so tests can state what a sync must produce.
/// </summary>
public sealed class SeededBucket
{
    private readonly AmazonS3Client _admin;
    private readonly Dictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    private SeededBucket(AmazonS3Client admin, string name)
    {
        _admin = admin;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Current content of every object in the bucket, by key.</summary>
    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>Creates the bucket with a policy that lets anyone list and read it (moto lists anonymously anyway but refuses anonymous GETs without one).</summary>
    public static async Task<SeededBucket> CreatePublicAsync(AmazonS3Client admin, string name)
    {
        await admin.PutBucketAsync(name);
        await admin.PutBucketPolicyAsync(name, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{{name}}","arn:aws:s3:::{{name}}/*"]}]}""");
        return new SeededBucket(admin, name);
    }

    public async Task PutAsync(string key, byte[] content)
    {
        await _admin.PutObjectAsync(new PutObjectRequest { BucketName = Name, Key = key, InputStream = new MemoryStream(content) });
        _objects[key] = content;
    }

    /// <summary>Uploads <paramref name="parts"/> as one multipart object (its ETag ends in '-N').</summary>
    public async Task PutMultipartAsync(string key, IReadOnlyList<byte[]> parts)
    {
        var upload = await _admin.InitiateMultipartUploadAsync(Name, key);
        var etags = new List<PartETag>();
        for (var number = 1; number <= parts.Count; number++)
        {
            var uploaded = await _admin.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Name,
                Key = key,
                UploadId = upload.UploadId,
                PartNumber = number,
                InputStream = new MemoryStream(parts[number - 1]),
            });
            etags.Add(new PartETag(number, uploaded.ETag));
        }

        await _admin.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Name, Key = key, UploadId = upload.UploadId, PartETags = etags });
        _objects[key] = [.. parts.SelectMany(part => part)];
    }

    public async Task DeleteAsync(string key)
    {
        await _admin.DeleteObjectAsync(Name, key);
        _objects.Remove(key);
    }

    /// <summary>The ETag moto reports for <paramref name="key"/>, without quotes.</summary>
    public async Task<string> ETagAsync(string key) => (await _admin.GetObjectMetadataAsync(Name, key)).ETag.Trim('"');
}
