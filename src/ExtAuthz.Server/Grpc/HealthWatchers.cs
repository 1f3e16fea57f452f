using ExtAuthz.Core.Configuration;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Counts open grpc.health.v1 Watch streams against <c>Server:HealthMaxWatches</c> (the whole server) and
/// <c>Server:HealthMaxWatchesPerConnection</c>: a Watch holds a stream, its buffers and a pending task for as long as
/// the caller likes, so the number a caller can open is bounded. Opening and closing are rare, so a lock is fine.
/// </summary>
internal sealed class HealthWatchers
{
    private readonly int _max;
    private readonly int _perConnection;
    private readonly OperationsMetrics _metrics;
    private readonly Dictionary<string, int> _byConnection = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _open;

    public HealthWatchers(ServerOptions server, OperationsMetrics metrics)
    {
        _max = server.HealthMaxWatches;
        _perConnection = server.HealthMaxWatchesPerConnection;
        _metrics = metrics;
    }

    /// <summary>Watch streams open now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <returns>False when either bound is reached; the caller refuses the stream. True obliges a <see cref="Close"/>.</returns>
    public bool TryOpen(string connectionId)
    {
        lock (_gate)
        {
            _byConnection.TryGetValue(connectionId, out var onConnection);
            if (_open >= _max || onConnection >= _perConnection)
            {
                _metrics.HealthWatchesRefused.Inc();
                return false;
            }

            _open++;
            _byConnection[connectionId] = onConnection + 1;
            _metrics.HealthWatches.Set(_open);
            return true;
        }
    }

    public void Close(string connectionId)
    {
        lock (_gate)
        {
            _open--;
            var left = _byConnection[connectionId] - 1;
            if (left == 0)
            {
                _byConnection.Remove(connectionId);
            }
            else
            {
                _byConnection[connectionId] = left;
            }

            _metrics.HealthWatches.Set(_open);
        }
    }
}
