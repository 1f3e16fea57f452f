using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>The Redis link on <c>/readyz</c>: information only, since a replica keeps serving from its local set.</summary>
internal sealed class RedisReadiness : IReadinessContributor
{
    private readonly IRevocationReplication _replication;

    public RedisReadiness(IRevocationReplication replication) => _replication = replication;

    public string Name => "redis";

    public bool Gates => false;

    public bool IsReady => _replication.IsConnected;

    public object Describe() => _replication.Describe();
}
