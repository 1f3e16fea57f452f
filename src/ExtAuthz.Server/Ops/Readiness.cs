namespace ExtAuthz.Server.Ops;

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

/// <summary>
/// Readiness of the whole service: every gating contributor is ready and shutdown has not begun. Read by
/// <c>/readyz</c> and by gRPC health.
/// </summary>
public sealed class ReadinessState
{
    private readonly IReadOnlyList<IReadinessContributor> _contributors;
    private volatile bool _draining;

    public ReadinessState(IEnumerable<IReadinessContributor> contributors) => _contributors = [.. contributors];

    public IReadOnlyList<IReadinessContributor> Contributors => _contributors;

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
    public void BeginDrain() => _draining = true;
}
