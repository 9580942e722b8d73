using System.Net;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class S3ErrorResponseTests
{
    private const string Subject = "s3://cellpainting-gallery/images/a.tiff";

    [Test]
    public void AnS3ErrorDocumentBecomesTheServiceErrorTheSdkWouldThrowNamingTheObject()
    {
        var error = S3ErrorResponse.ToException(
            HttpStatusCode.PreconditionFailed,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition><RequestId>R1</RequestId></Error>",
            Subject);

        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(error.ErrorCode, Is.EqualTo("PreconditionFailed"));
            Assert.That(error.RequestId, Is.EqualTo("R1"));
            Assert.That(error.Message, Is.EqualTo($"At least one of the pre-conditions you specified did not hold ({Subject})"));
            Assert.That(TransientFaultClassifier.IsTransient(error), Is.False);
        });
    }

    [Test]
    public void ThrottlingIsTransientAsFromTheSdk() =>
        Assert.That(TransientFaultClassifier.IsTransient(S3ErrorResponse.ToException(HttpStatusCode.ServiceUnavailable, "<Error><Code>SlowDown</Code></Error>", Subject)), Is.True);

    [Test]
    public void ABodyThatIsNoErrorDocumentLeavesTheStatusToSpeak()
    {
        var error = S3ErrorResponse.ToException(HttpStatusCode.BadGateway, "<html>upstream down</html>", Subject);

        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo("BadGateway"));
            Assert.That(TransientFaultClassifier.Describe(error), Does.StartWith($"HTTP 502 BadGateway: BadGateway ({Subject})"));
        });
    }
}
