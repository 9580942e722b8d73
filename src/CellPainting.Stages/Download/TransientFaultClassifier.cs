using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace CellPainting.Stages.Download;

/// <summary>Decides which faults deserve another attempt, and describes faults without leaking secrets.</summary>
internal static class TransientFaultClassifier
{
    /// <summary>
    /// True for 5xx, 429/408, S3 throttling codes, network errors, request timeouts and body faults. Plain
    /// <see cref="IOException"/> is deliberately absent: body read errors arrive wrapped in
    /// <see cref="TransferInterruptedException"/>, so a bare one is a local disk problem that a retry will not fix.
    /// Callers filter out their own cancellation first, so a cancellation seen here is a request timeout.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        switch (exception)
        {
            case ObjectIntegrityException or TransferInterruptedException:
            case HttpRequestException or HttpIOException or SocketException or TimeoutException:
            case OperationCanceledException:
                return true;
            case AmazonServiceException service when service.StatusCode != 0:
                var status = (int)service.StatusCode;
                return status >= 500
                    || service.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
                    || service.ErrorCode is "SlowDown" or "RequestTimeout" or "Throttling" or "ThrottlingException";
        }

        return exception.InnerException is { } inner && IsTransient(inner);
    }

    /// <summary>
    /// One-line description: status and error code for service errors, otherwise type and message of the exception
    /// and its innermost cause. Requests are unsigned or signed by the SDK; neither puts secrets into these messages.
    /// </summary>
    public static string Describe(Exception exception)
    {
        var head = exception is AmazonServiceException { StatusCode: not 0 } service
            ? $"HTTP {(int)service.StatusCode} {service.ErrorCode}: {service.Message}"
            : $"{exception.GetType().Name}: {exception.Message}";

        var root = exception.GetBaseException();
        return ReferenceEquals(root, exception) ? head : $"{head} ({root.GetType().Name}: {root.Message})";
    }
}
