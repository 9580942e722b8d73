using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CellPainting.TestSupport;

/// <summary>
/// Loopback HTTP forwarder in front of moto that logs every request and injects faults on a deterministic schedule:
/// each rule owns a queue of faults handed, in order, to the requests it matches; unmatched requests pass through.
/// </summary>
public sealed class FaultInjectingProxy : IDisposable
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Host", "Expect", "Proxy-Connection", "Upgrade", "Date", "Server",
    };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstreamClient = new();
    private readonly Uri _upstream;
    private readonly ConcurrentQueue<ProxyRequest> _requests = new();
    private readonly List<(Func<string, string, bool> Matches, Queue<ProxyFault> Faults)> _rules = [];
    private readonly Task _acceptLoop;

    public FaultInjectingProxy(Uri upstream)
    {
        _upstream = upstream;
        var port = LoopbackPort.Free();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.AbsoluteUri);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>How long a <see cref="ProxyFault.StallBody"/> stays silent before dropping the connection.</summary>
    public TimeSpan StallDuration { get; set; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<ProxyRequest> Requests => [.. _requests];

    /// <summary>Object GETs of <paramref name="bucket"/> in arrival order, as keys.</summary>
    public IReadOnlyList<string> ObjectGets(string bucket) =>
        [.. Requests.Select(r => r.ObjectKeyIn(bucket)).OfType<string>()];

    /// <summary>The next GETs of exactly this object get these faults, one each, in order.</summary>
    public void ScheduleObjectFaults(string bucket, string key, params ProxyFault[] faults)
    {
        var path = $"/{bucket}/{key}";
        Schedule((requestPath, _) => Uri.UnescapeDataString(requestPath) == path, faults);
    }

    /// <summary>The next listing requests of this bucket get these faults, one each, in order.</summary>
    public void ScheduleListingFaults(string bucket, params ProxyFault[] faults) =>
        Schedule((requestPath, query) => requestPath.TrimEnd('/') == $"/{bucket}" && query.Contains("list-type=2", StringComparison.Ordinal), faults);

    public void ClearLog() => _requests.Clear();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by the listener being closed under it; nothing else can be pending there.
        }

        _upstreamClient.Dispose();
    }

    private void Schedule(Func<string, string, bool> matches, ProxyFault[] faults)
    {
        lock (_rules)
        {
            _rules.Add((matches, new Queue<ProxyFault>(faults)));
        }
    }

    private ProxyFault NextFault(string path, string query)
    {
        lock (_rules)
        {
            foreach (var (matches, faults) in _rules)
            {
                if (faults.Count > 0 && matches(path, query))
                {
                    return faults.Dequeue();
                }
            }
        }

        return ProxyFault.None;
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var rawUrl = request.RawUrl ?? "/";
        var queryStart = rawUrl.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawUrl : rawUrl[..queryStart];
        var query = queryStart < 0 ? string.Empty : rawUrl[(queryStart + 1)..];
        var fault = NextFault(path, query);
        _requests.Enqueue(new ProxyRequest(request.HttpMethod, path, query, request.Headers["Authorization"] is not null, fault));

        var response = context.Response;
        try
        {
            switch (fault)
            {
                case ProxyFault.ResetConnection:
                    response.Abort();
                    return;
                case ProxyFault.InternalError:
                    await SendErrorAsync(response, 500, "InternalError", "We encountered an internal error. Please try again.");
                    return;
                case ProxyFault.SlowDown:
                    await SendErrorAsync(response, 503, "SlowDown", "Please reduce your request rate.");
                    return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_upstream, rawUrl));
            if (request.HasEntityBody)
            {
                forward.Content = new StreamContent(request.InputStream);
            }

            foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !HopByHopHeaders.Contains(n)))
            {
                var values = request.Headers.GetValues(name) ?? [];
                if (!forward.Headers.TryAddWithoutValidation(name, values))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(name, values);
                }
            }

            using var upstreamResponse = await _upstreamClient.SendAsync(forward, HttpCompletionOption.ResponseContentRead);
            var body = await upstreamResponse.Content.ReadAsByteArrayAsync();
            response.StatusCode = (int)upstreamResponse.StatusCode;
            foreach (var header in upstreamResponse.Headers.Concat(upstreamResponse.Content.Headers).Where(h => !HopByHopHeaders.Contains(h.Key)))
            {
                response.AddHeader(header.Key, string.Join(",", header.Value));
            }

            response.ContentLength64 = body.Length;
            await SendBodyAsync(response, body, fault);
        }
        catch (HttpRequestException exception)
        {
            await SendErrorAsync(response, 502, "BadGateway", $"moto did not answer: {exception.Message}");
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away (often on purpose: it timed out on a stalled body); its side records the fault.
        }
    }

    private async Task SendBodyAsync(HttpListenerResponse response, byte[] body, ProxyFault fault)
    {
        var half = body.Length / 2;
        switch (fault)
        {
            case ProxyFault.TruncateBody:
                await response.OutputStream.WriteAsync(body.AsMemory(0, half));
                await response.OutputStream.FlushAsync();
                response.Abort();
                break;
            case ProxyFault.StallBody:
                await response.OutputStream.WriteAsync(body.AsMemory(0, half));
                await response.OutputStream.FlushAsync();
                await Task.Delay(StallDuration);
                response.Abort();
                break;
            case ProxyFault.CorruptBody:
                var corrupt = (byte[])body.Clone();
                corrupt[half] ^= 0xFF;
                await response.OutputStream.WriteAsync(corrupt);
                response.Close();
                break;
            default:
                await response.OutputStream.WriteAsync(body);
                response.Close();
                break;
        }
    }

    private static async Task SendErrorAsync(HttpListenerResponse response, int status, string code, string message)
    {
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

}
