using Amazon.S3;

namespace CellPainting.TestSupport;

/// <summary>moto_server plus the fault-injecting proxy in front of it, shared by the tests of one fixture.</summary>
public sealed class LoopbackS3 : IDisposable
{
    private static int s_bucketCounter;

    private LoopbackS3(MotoServer moto)
    {
        Moto = moto;
        Proxy = new FaultInjectingProxy(moto.Endpoint);
        Admin = moto.CreateAdminClient();
    }

    public MotoServer Moto { get; }

    /// <summary>The endpoint the synchronizer under test talks to.</summary>
    public FaultInjectingProxy Proxy { get; }

    /// <summary>Signed client straight to moto, for seeding and inspecting.</summary>
    public AmazonS3Client Admin { get; }

    public static async Task<LoopbackS3> StartOrIgnoreAsync() => new(await MotoServer.StartOrIgnoreAsync());

    /// <summary>A unique, lower-case bucket name so that tests never see each other's objects.</summary>
    public static string NewBucketName(string stem) => $"{stem}-{Interlocked.Increment(ref s_bucketCounter)}";

    public void Dispose()
    {
        Admin.Dispose();
        Proxy.Dispose();
        Moto.Dispose();
    }
}
