using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// Accepts a revocation on this replica: into the local set first (the next Check here already sees it), then to
/// the other replicas through the replication link when there is one.
/// </summary>
internal sealed class RevocationService
{
    private readonly RevocationSet _set;
    private readonly IRevocationReplication? _replication;
    private readonly TimeProvider _time;

    public RevocationService(RevocationSet set, TimeProvider time, ExtAuthzOptions options, IServiceProvider services)
    {
        _set = set;
        _time = time;
        MaxTokenLifetime = options.Revocation.MaxTokenLifetime;
        _replication = services.GetService<IRevocationReplication>();
        Issuers = [.. options.Identity.Issuers.Select(i => i.Issuer), .. options.Identity.DevIssuer.Enabled ? [options.Identity.DevIssuer.Issuer] : Array.Empty<string>()];
    }

    /// <summary>The configured issuers (and the development issuer when it is on): a revoked jti names one of them.</summary>
    public IReadOnlyList<string> Issuers { get; }

    public TimeSpan MaxTokenLifetime { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    public IReadOnlyCollection<RevocationEntry> Entries => _set.Entries;

    public IRevocationReplication? Replication => _replication;

    /// <summary>Raised after a revocation made on this replica was accepted (our own login ends the user's sessions).</summary>
    public event Action<RevocationEntry>? Revoked;

    public void Revoke(RevocationEntry entry)
    {
        _set.Add(entry);
        _replication?.Publish(entry);
        Revoked?.Invoke(entry);
    }
}
