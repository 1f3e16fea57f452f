using System.Collections.Concurrent;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Server.Operations;
using Microsoft.AspNetCore.Connections;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// The ops port's own connection limits, as connection middleware on its listener alone: Kestrel's limits are
/// server-wide, and the server-wide keep-alive is long for Envoy's gRPC connections. At most
/// <c>Server:OpsMaxConnections</c> are open at once (one more is closed at accept), and a connection that moved no
/// byte either way for <c>Server:OpsIdleTimeout</c> is closed. So idle sockets from anyone who can reach the port
/// cannot hold file descriptors for an hour. One timer sweeps every open connection.
/// </summary>
internal sealed class OpsConnections : IDisposable
{
    private readonly int _max;
    private readonly TimeSpan _idle;
    private readonly TimeProvider _time;
    private readonly OperationsMetrics _metrics;
    private readonly ConcurrentDictionary<OpsConnection, byte> _open = new();
    private readonly ITimer _sweep;
    private int _count;

    public OpsConnections(ServerOptions server, TimeProvider time, OperationsMetrics metrics)
    {
        _max = server.OpsMaxConnections;
        _idle = server.OpsIdleTimeout;
        _time = time;
        _metrics = metrics;
        var period = TimeSpan.FromTicks(Math.Clamp(_idle.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(10).Ticks));
        _sweep = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    /// <summary>Connections open on the ops port now.</summary>
    public int Count => Volatile.Read(ref _count);

    public ConnectionDelegate Guard(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _count) > _max)
        {
            Interlocked.Decrement(ref _count);
            _metrics.OpsConnectionsRefused.Inc();
            connection.Abort(new ConnectionAbortedException("ops port: too many open connections"));
            return;
        }

        var tracked = new OpsConnection(connection, _time);
        _open.TryAdd(tracked, 0);
        try
        {
            await next(connection);
        }
        finally
        {
            _open.TryRemove(tracked, out _);
            Interlocked.Decrement(ref _count);
        }
    };

    private void Sweep()
    {
        foreach (var connection in _open.Keys)
        {
            if (connection.IdleFor() >= _idle && connection.Close())
            {
                _metrics.OpsConnectionsIdleClosed.Inc();
            }
        }
    }

    public void Dispose() => _sweep.Dispose();
}
