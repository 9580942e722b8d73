using Amazon;

namespace CellPainting.Build.Tests.TestSupport;

/// <summary>
/// Points the AWS SDK at a test credentials file for a block, then restores the default. The SDK reads
/// AWS_SHARED_CREDENTIALS_FILE once per process, so setting it mid-run would change nothing; AWSConfigs is its
/// in-process equivalent.
/// </summary>
internal sealed class AwsProfilesLocation : IDisposable
{
    private readonly string? previous = AWSConfigs.AWSProfilesLocation;

    public AwsProfilesLocation(string credentialsPath) => AWSConfigs.AWSProfilesLocation = credentialsPath;

    public void Dispose() => AWSConfigs.AWSProfilesLocation = previous;
}
