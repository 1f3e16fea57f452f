namespace ExtAuthz.Core.Identity;

/// <summary>
/// Carries revocations made on this replica to the others (Redis pub/sub when configured). Publishing never blocks
/// and never fails the caller: an entry that cannot be sent now is kept and sent when the link returns.
/// </summary>
public interface IRevocationReplication
{
    /// <summary>True when other replicas are reached right now; false while the link is down.</summary>
    bool IsConnected { get; }

    /// <summary>Revocations accepted here and not yet stored in the shared store.</summary>
    int PendingCount { get; }

    void Publish(RevocationEntry entry);

    /// <summary>A small JSON-serialisable description for <c>/readyz</c>.</summary>
    object Describe();
}
