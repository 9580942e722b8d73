using System.Net;
using System.Net.Sockets;

namespace CellPainting.TestSupport;

/// <summary>Finds a free TCP port on 127.0.0.1 for a test server.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
