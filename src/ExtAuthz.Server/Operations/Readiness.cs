namespace ExtAuthz.Server.Operations;

/// <summary>One part that reports on <c>/readyz</c>; only parts that gate readiness can hold it back.</summary>
public interface IReadinessContributor
{
    string Name { get; }

    /// <summary>True when this part must be ready for the service to be ready (the access index); false for information (key sets).</summary>
    bool Gates { get; }

    bool IsReady { get; }

    /// <summary>A small JSON-serialisable description of the part's state.</summary>
    object Describe();
}

/// <summary>A contributor that says when its readiness may have changed, so watchers are told without polling.</summary>
public interface IReadinessSignal
{
    event Action? Changed;
}

/// <summary>
/// Readiness of the whole service: every gating contributor is ready and shutdown has not begun. Read by
/// <c>/readyz</c> and by gRPC health; <see cref="NextChange"/> completes when it flips, for health Watch streams.
/// </summary>
public sealed class ReadinessState
{
    private readonly IReadOnlyList<IReadinessContributor> _contributors;
    private readonly Lock _gate = new();
    private volatile bool _draining;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _lastReady;

    public ReadinessState(IEnumerable<IReadinessContributor> contributors)
    {
        _contributors = [.. contributors];
        _lastReady = IsReady;
        foreach (var signal in _contributors.OfType<IReadinessSignal>())
        {
            signal.Changed += Reassess;
        }
    }

    public IReadOnlyList<IReadinessContributor> Contributors => _contributors;

    /// <summary>Completes the next time <see cref="IsReady"/> flips; take it before reading the state.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    public bool IsDraining => _draining;

    public bool IsReady
    {
        get
        {
            if (_draining)
            {
                return false;
            }

            foreach (var contributor in _contributors)
            {
                if (contributor.Gates && !contributor.IsReady)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Shutdown has begun: report not ready so load balancers stop sending, while in-flight Checks finish.</summary>
    public void BeginDrain()
    {
        _draining = true;
        Reassess();
    }

    /// <summary>Completes <see cref="NextChange"/> when readiness is not what it was when last assessed.</summary>
    private void Reassess()
    {
        TaskCompletionSource flipped;
        lock (_gate)
        {
            var ready = IsReady;
            if (ready == _lastReady)
            {
                return;
            }

            _lastReady = ready;
            flipped = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        flipped.TrySetResult();
    }
}
