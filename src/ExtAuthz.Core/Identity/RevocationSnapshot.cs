namespace ExtAuthz.Core.Identity;

/// <summary>
/// One immutable version of the revocation set, indexed for the hot path: a lookup builds no string and
/// allocates nothing, and an empty set costs one branch.
/// </summary>
internal sealed class RevocationSnapshot
{
    public static readonly RevocationSnapshot Empty = new(new Dictionary<string, RevocationEntry>(StringComparer.Ordinal));

    private readonly Dictionary<string, RevocationEntry> _users = new(UserIdComparer.Instance);
    private readonly Dictionary<(string Issuer, string TokenId), RevocationEntry> _tokenIds = [];
    private readonly Dictionary<(string Issuer, string User, long IssuedAt, long Expires), RevocationEntry> _fingerprints = [];

    public RevocationSnapshot(Dictionary<string, RevocationEntry> byKey)
    {
        ByKey = byKey;
        foreach (var entry in byKey.Values)
        {
            switch (entry.Kind)
            {
                case RevocationKind.User:
                    _users[entry.Subject] = entry;
                    break;
                case RevocationKind.TokenId:
                    _tokenIds[(entry.Issuer, entry.Subject)] = entry;
                    break;
                default:
                    _fingerprints[(entry.Issuer, UserIdComparer.Normalize(entry.Subject), entry.TokenIssuedAt ?? -1, entry.TokenExpires ?? 0)] = entry;
                    break;
            }
        }
    }

    public Dictionary<string, RevocationEntry> ByKey { get; }

    public int Count => ByKey.Count;

    public IReadOnlyCollection<RevocationEntry> Entries => ByKey.Values;

    public RevocationEntry? Find(Principal principal)
    {
        if (ByKey.Count == 0)
        {
            return null;
        }

        // A token issued before the user's revocation is revoked; one without iat cannot prove otherwise.
        if (_users.Count > 0 && _users.TryGetValue(principal.UserId, out var user)
            && (principal.IssuedAt is not { } issuedAt || issuedAt < user.RevokedAt))
        {
            return user;
        }

        if (_tokenIds.Count > 0 && principal.TokenId is { } jti && _tokenIds.TryGetValue((principal.Issuer, jti), out var token))
        {
            return token;
        }

        if (_fingerprints.Count > 0)
        {
            var key = (principal.Issuer, UserIdComparer.Normalize(principal.UserId),
                principal.IssuedAt?.ToUnixTimeSeconds() ?? -1, principal.Expires.ToUnixTimeSeconds());
            return _fingerprints.TryGetValue(key, out var fingerprint) ? fingerprint : null;
        }

        return null;
    }
}
