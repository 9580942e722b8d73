using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class TransientFaultClassifierTests
{
    private static IEnumerable<TestCaseData> Transient()
    {
        yield return new TestCaseData(ServiceError(HttpStatusCode.InternalServerError, "InternalError")).SetName("500 InternalError is transient");
        yield return new TestCaseData(ServiceError(HttpStatusCode.ServiceUnavailable, "SlowDown")).SetName("503 SlowDown is transient");
        yield return new TestCaseData(ServiceError(HttpStatusCode.TooManyRequests, "TooManyRequests")).SetName("429 is transient");
        yield return new TestCaseData(new HttpRequestException("Connection reset by peer")).SetName("A connection reset is transient");
        yield return new TestCaseData(new TaskCanceledException("timed out")).SetName("A request timeout is transient");
        yield return new TestCaseData(new ObjectIntegrityException("MD5 mismatch")).SetName("A corrupt body is transient");
        yield return new TestCaseData(new TransferInterruptedException("ended early", null)).SetName("An interrupted body is transient");
        yield return new TestCaseData(new AmazonClientException("wrapped", new HttpRequestException("reset"))).SetName("A wrapped network error is transient");
    }

    private static IEnumerable<TestCaseData> Permanent()
    {
        yield return new TestCaseData(ServiceError(HttpStatusCode.Forbidden, "AccessDenied")).SetName("403 AccessDenied is permanent");
        yield return new TestCaseData(ServiceError(HttpStatusCode.NotFound, "NoSuchKey")).SetName("404 NoSuchKey is permanent");
        yield return new TestCaseData(ServiceError(HttpStatusCode.PreconditionFailed, "PreconditionFailed")).SetName("412 (object changed since listing) is permanent");
        yield return new TestCaseData(new IOException("No space left on device")).SetName("A local disk error is permanent");
        yield return new TestCaseData(new UnauthorizedAccessException("denied")).SetName("A local permission error is permanent");
    }

    [TestCaseSource(nameof(Transient))]
    public void RetriesAreWorthIt(Exception fault) => Assert.That(TransientFaultClassifier.IsTransient(fault), Is.True);

    [TestCaseSource(nameof(Permanent))]
    public void RetriesAreNotWorthIt(Exception fault) => Assert.That(TransientFaultClassifier.IsTransient(fault), Is.False);

    [Test]
    public void ServiceErrorsAreDescribedByStatusAndCode() =>
        Assert.That(TransientFaultClassifier.Describe(ServiceError(HttpStatusCode.ServiceUnavailable, "SlowDown")), Does.StartWith("HTTP 503 SlowDown: "));

    private static AmazonS3Exception ServiceError(HttpStatusCode status, string code) =>
        new($"{code} from the test", ErrorType.Sender, code, "request-id", status);
}
