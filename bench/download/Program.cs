// Seeds a loopback S3 (moto) with N small objects in the CPJUMP1 plate layout for bench/download/run.sh, which times
// whole commands against it. Usage: dotnet run -c Release --project bench/download -- <endpoint-url> [objects=1000] [bytes=16384]
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CellPainting.Stages.Download;

var endpoint = new Uri(args.Length > 0 ? args[0] : throw new ArgumentException("Pass the moto endpoint URL."));
var objectCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var objectBytes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16384;

const string Bucket = "bench-gallery";
const string Batch = "2020_11_04_CPJUMP1";
const string Plate = "BR00116991__2020-11-05T19_51_35-Measurement1";
var unit = CpJump1SyncUnits.Create(Batch, [Plate], "metadata", "images")[2];

await SeedAsync();
Console.WriteLine($"Seeded {objectCount} objects of {objectBytes} bytes under s3://{Bucket}/{unit.RemotePrefix} at {endpoint}");

async Task SeedAsync()
{
    using var admin = new AmazonS3Client(new BasicAWSCredentials("bench", "bench"), new AmazonS3Config
    {
        ServiceURL = endpoint.AbsoluteUri,
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
    });
    await admin.PutBucketAsync(Bucket);
    await admin.PutBucketPolicyAsync(Bucket, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{{Bucket}}","arn:aws:s3:::{{Bucket}}/*"]}]}""");
    await Parallel.ForEachAsync(Enumerable.Range(0, objectCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, token) =>
    {
        var site = index / 5;
        var name = $"r{site / 24 % 16 + 1:00}c{site % 24 + 1:00}f{site / 384 + 1:00}p01-ch{index % 5 + 1}sk1fk1fl1.tiff";
        var content = new byte[objectBytes];
        new Random(index).NextBytes(content);
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = unit.RemotePrefix + name, InputStream = new MemoryStream(content) }, token);
    });
}
