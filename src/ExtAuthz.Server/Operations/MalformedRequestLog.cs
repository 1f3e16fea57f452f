using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// One folded line for Check frames that are not a CheckRequest, as repeated denies are folded
/// (<c>Audit:RepeatWindow</c>): the first of a window is logged at once without a stack trace, the rest are counted
/// and reported in one line when the window ends. Every one is counted in <c>extauthz_malformed_requests_total</c>.
/// The problem text is the parser's own constant message, never the request's bytes.
/// </summary>
internal sealed class MalformedRequestLog : IDisposable
{
    private readonly ILogger<MalformedRequestLog> _logger;
    private readonly OperationsMetrics _metrics;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _open;
    private long _count;
    private DateTimeOffset _since;

    public MalformedRequestLog(ILogger<MalformedRequestLog> logger, OperationsMetrics metrics, AuditOptions audit, TimeProvider time)
    {
        _logger = logger;
        _metrics = metrics;
        _window = audit.RepeatWindow;
        _time = time;
        _timer = time.CreateTimer(_ => WindowEnded(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Report(string problem)
    {
        _metrics.MalformedRequests.Inc();
        if (_window > TimeSpan.Zero)
        {
            lock (_gate)
            {
                if (_open)
                {
                    _count++;
                    return;
                }

                _open = true;
                _since = _time.GetUtcNow();
                _timer.Change(_window, Timeout.InfiniteTimeSpan);
            }
        }

        OperationsLog.MalformedRequest(_logger, problem, _window);
    }

    private void WindowEnded()
    {
        long count;
        DateTimeOffset since;
        lock (_gate)
        {
            count = _count;
            since = _since;
            _count = 0;
            _open = false;
        }

        if (count > 0)
        {
            OperationsLog.MalformedRequestsRepeated(_logger, count, since);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        WindowEnded();
    }
}
