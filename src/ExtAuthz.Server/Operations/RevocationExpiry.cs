using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>Drops expired revocations once a minute, so the set holds only what can still match a valid token.</summary>
internal sealed class RevocationExpiry : BackgroundService
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    private readonly RevocationSet _set;
    private readonly TimeProvider _time;
    private readonly ILogger<RevocationExpiry> _logger;

    public RevocationExpiry(RevocationSet set, TimeProvider time, ILogger<RevocationExpiry> logger)
    {
        _set = set;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var pruned = _set.Prune(_time.GetUtcNow());
                if (pruned > 0)
                {
                    OperationsLog.RevocationsPruned(_logger, pruned);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
