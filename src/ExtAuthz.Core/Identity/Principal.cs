namespace ExtAuthz.Core.Identity;

/// <summary>
/// A caller proven by a validated token. Immutable and shared: the validated-token cache hands the same
/// instance to every request that carries the same token until it expires.
/// </summary>
public sealed class Principal
{
    public Principal(string issuer, string userId, string userIdHeaderValue, IReadOnlyList<string> groups,
        DateTimeOffset expires, DateTimeOffset? issuedAt = null, string? keyId = null, string? tokenId = null)
    {
        Issuer = issuer;
        UserId = userId;
        UserIdHeaderValue = userIdHeaderValue;
        Groups = groups;
        GroupsHeaderValue = groups.Count == 0 ? null : string.Join(',', groups);
        Expires = expires;
        IssuedAt = issuedAt;
        KeyId = keyId;
        TokenId = tokenId;
    }

    /// <summary>The configured issuer (its exact <c>iss</c>).</summary>
    public string Issuer { get; }

    /// <summary>The id as the token wrote it (an email for Dex and IAP, <c>system:serviceaccount:…</c> for SA tokens).</summary>
    public string UserId { get; }

    /// <summary>The issuer's user prefix + <see cref="UserId"/>: the value of <c>kubeflow-userid</c>.</summary>
    public string UserIdHeaderValue { get; }

    public IReadOnlyList<string> Groups { get; }

    /// <summary>Groups joined with ',' for <c>kubeflow-groups</c>; null when there are none.</summary>
    public string? GroupsHeaderValue { get; }

    public DateTimeOffset Expires { get; }

    public DateTimeOffset? IssuedAt { get; }

    public string? KeyId { get; }

    public string? TokenId { get; }

    /// <summary>
    /// A slot the response layer may use for what it derives from the principal once (the identity part of its
    /// cached answers' keys); Core never reads it. Answers themselves are never kept here, so they stay bounded.
    /// </summary>
    public object? ResponseCache { get; set; }
}
