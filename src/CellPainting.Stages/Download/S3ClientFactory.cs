using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace CellPainting.Stages.Download;

/// <summary>
/// Builds the SDK's S3 client (unsigned unless a profile is named, SDK retries off: the sync retries itself) and a sync's
/// transport.
/// </summary>
internal static class S3ClientFactory
{
    /// <summary>
    /// A sync's transport: unsigned requests need none of the SDK's pipeline and go over plain HTTP; a profile's
    /// requests are signed by the SDK.
    /// </summary>
    public static IS3Transport CreateTransport(S3SyncOptions options) =>
        options.Profile is null ? new HttpS3Transport(options) : new SdkS3Transport(Create(options), options);

    public static AmazonS3Client Create(S3SyncOptions options)
    {
        var config = new AmazonS3Config
        {
            // One retry loop (RetryRunner) sees every fault and records it; SDK retries would hide and multiply them.
            MaxErrorRetry = 0,
            // The sync verifies MD5 and size itself; SDK-side CRC validation would hash every body a second time.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            MaxConnectionsPerServer = options.MaxParallelDownloads + options.MaxParallelListings,
            // AWS_ENDPOINT_URL and friends must not silently redirect a sync: the options say where to go.
            IgnoreConfiguredEndpointUrls = true,
        };

        if (options.EndpointUrl is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.EndpointUrl.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
            config.ForcePathStyle = true;
        }

        return new AmazonS3Client(ResolveCredentials(options.Profile), config);
    }

    private static AWSCredentials ResolveCredentials(string? profile)
    {
        if (profile is null)
        {
            return new AnonymousAWSCredentials();
        }

        if (!new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials))
        {
            throw new InvalidOperationException($"AWS profile '{profile}' was not found in the shared config or credentials files.");
        }

        return credentials;
    }
}
