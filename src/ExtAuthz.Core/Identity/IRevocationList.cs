namespace ExtAuthz.Core.Identity;

/// <summary>
/// The revocations a Check consults right after a token validated (DESIGN §2 step 5). Read from memory only;
/// replication between replicas happens elsewhere and never on a request.
/// </summary>
public interface IRevocationList
{
    /// <summary>The revocation that covers this principal's token, or null.</summary>
    RevocationEntry? Find(Principal principal);
}
