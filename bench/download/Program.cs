// Seeds a loopback S3 (moto) with N small objects in the CPJUMP1 plate layout, then times this tool and
// `aws s3 sync --no-sign-request` on the same prefix: cold (empty folder) and no-op (everything current).
// Usage: dotnet run -c Release --project bench/download -- <endpoint-url> [objects=1000] [bytes=16384] [repeats=3]
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CellPainting.Stages.Download;

var endpoint = new Uri(args.Length > 0 ? args[0] : throw new ArgumentException("Pass the moto endpoint URL."));
var objectCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var objectBytes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16384;
var repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;

const string Bucket = "bench-gallery";
const string Batch = "2020_11_04_CPJUMP1";
const string Plate = "BR00116991__2020-11-05T19_51_35-Measurement1";
var work = Path.Combine(Path.GetTempPath(), "cpjump1-download-bench-" + Guid.NewGuid().ToString("N"));
var unit = CpJump1SyncUnits.Create(Batch, [Plate], Path.Combine(work, "metadata"), Path.Combine(work, "ours"))[2];
var awsDestination = Path.Combine(work, "aws");

await SeedAsync();
Console.WriteLine($"Seeded {objectCount} objects of {objectBytes} bytes under s3://{Bucket}/{unit.RemotePrefix} at {endpoint}");

var ours = new List<(double Cold, double NoOp)>();
var aws = new List<(double Cold, double NoOp)>();
for (var run = 1; run <= repeats; run++)
{
    ours.Add(await TimeOursAsync());
    aws.Add(await TimeAwsAsync());
    Console.WriteLine($"run {run}: ours cold {ours[^1].Cold:0.000} s, no-op {ours[^1].NoOp:0.000} s | aws cold {aws[^1].Cold:0.000} s, no-op {aws[^1].NoOp:0.000} s");
}

var oursCold = Median(ours.Select(r => r.Cold));
var oursNoOp = Median(ours.Select(r => r.NoOp));
var awsCold = Median(aws.Select(r => r.Cold));
var awsNoOp = Median(aws.Select(r => r.NoOp));
Console.WriteLine($"median of {repeats}: cold  ours {oursCold:0.000} s  aws {awsCold:0.000} s  speed-up {awsCold / oursCold:0.00}x");
Console.WriteLine($"median of {repeats}: no-op ours {oursNoOp:0.000} s  aws {awsNoOp:0.000} s  speed-up {awsNoOp / oursNoOp:0.00}x");
Directory.Delete(work, recursive: true);
return awsCold / oursCold >= 1.5 ? 0 : 2;

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

async Task<(double Cold, double NoOp)> TimeOursAsync()
{
    DeleteIfPresent(unit.LocalDirectory);
    var clock = Stopwatch.StartNew();
    using var synchronizer = new S3Synchronizer(new S3SyncOptions { Bucket = Bucket, EndpointUrl = endpoint });
    var cold = await synchronizer.SyncAsync([unit], new Dictionary<string, RemoteObjectRecord>());
    var coldSeconds = clock.Elapsed.TotalSeconds;
    Check(cold.Succeeded && cold.Units[0].DownloadedCount == objectCount, $"ours cold fetched {cold.Units[0].DownloadedCount} with {cold.Failures.Count} failures");

    clock.Restart();
    var noOp = await synchronizer.SyncAsync([unit], cold.ToRecordMap());
    var noOpSeconds = clock.Elapsed.TotalSeconds;
    Check(noOp.Succeeded && noOp.Units[0].DownloadedCount == 0, $"ours no-op fetched {noOp.Units[0].DownloadedCount}");
    return (coldSeconds, noOpSeconds);
}

async Task<(double Cold, double NoOp)> TimeAwsAsync()
{
    DeleteIfPresent(awsDestination);
    var cold = await RunAwsAsync();
    Check(Directory.GetFiles(awsDestination, "*", SearchOption.AllDirectories).Length == objectCount, "aws cold did not fetch every object");
    var noOp = await RunAwsAsync();
    return (cold, noOp);
}

async Task<double> RunAwsAsync()
{
    var start = new ProcessStartInfo("aws", ["s3", "sync", $"s3://{Bucket}/{unit.RemotePrefix}", awsDestination, "--no-sign-request", "--endpoint-url", endpoint.AbsoluteUri, "--only-show-errors"])
    {
        UseShellExecute = false,
    };
    start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start aws.");
    await process.WaitForExitAsync();
    Check(process.ExitCode == 0, $"aws s3 sync exited with {process.ExitCode}");
    return clock.Elapsed.TotalSeconds;
}

static void DeleteIfPresent(string path)
{
    if (Directory.Exists(path))
    {
        Directory.Delete(path, recursive: true);
    }
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
