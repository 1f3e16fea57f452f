using ExtAuthz.Core.Access;
using ExtAuthz.Kubernetes;
using ExtAuthz.Kubernetes.Directory;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The access index gates readiness: until it has loaded, every protected request would be 403. Each publication of
/// the index is a possible change, signalled to <see cref="ReadinessState"/>. <c>/readyz</c> shows the index and the
/// state of whichever source feeds it.
/// </summary>
internal sealed class AccessIndexReadiness : IReadinessContributor, IReadinessSignal
{
    private readonly KubeflowAccessPolicy _policy;
    private readonly KubernetesIndexSource? _kubernetes;
    private readonly DirectoryIndexSource? _directory;

    public AccessIndexReadiness(KubeflowAccessPolicy policy, AccessIndex index, IServiceProvider services)
    {
        _policy = policy;
        _kubernetes = services.GetService<KubernetesIndexSource>();
        _directory = services.GetService<DirectoryIndexSource>();
        index.Published += _ => Changed?.Invoke();
    }

    public event Action? Changed;

    public string Name => "index";

    public bool Gates => true;

    public bool IsReady => _policy.IsLoaded;

    public object Describe() => _policy.Describe(_kubernetes?.Describe() ?? _directory?.Describe());
}
