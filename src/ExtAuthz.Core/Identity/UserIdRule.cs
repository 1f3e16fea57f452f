namespace ExtAuthz.Core.Identity;

/// <summary>
/// What a user claim must be before it becomes an id: clean (not empty, not over-long, no surrounding whitespace,
/// no control character) and unable to pass for another issuer's id. <c>kubeflow-userid</c> is the issuer's prefix
/// + the claim, so a claim that starts with what another issuer's prefix adds to this one's (all of it when this
/// issuer has none) is refused; and <c>system:</c>, Kubernetes's own namespace of users, is only for a ServiceAccount
/// issuer (user claim <c>sub</c>). See README.md, "How issuers are kept apart".
/// </summary>
internal sealed class UserIdRule
{
    /// <summary>
    /// Longest accepted id. An email address is at most 254 characters (RFC 5321) and a ServiceAccount id at most
    /// 339 (<c>system:serviceaccount:</c>, a 63-character namespace, ':', a 253-character name); anything longer is
    /// no user of ours and would only grow headers, logs and index keys.
    /// </summary>
    public const int MaxChars = 512;

    /// <summary>The prefix Kubernetes reserves for its own users (<c>system:serviceaccount:…</c>, <c>system:admin</c>).</summary>
    public const string KubernetesPrefix = "system:";

    private readonly string _claim;
    private readonly string[] _foreignStarts;
    private readonly bool _isServiceAccountIssuer;
    private readonly bool _sharesPrefix;

    private UserIdRule(string claim, string[] foreignStarts, bool isServiceAccountIssuer, bool sharesPrefix)
    {
        _claim = claim;
        _foreignStarts = foreignStarts;
        _isServiceAccountIssuer = isServiceAccountIssuer;
        _sharesPrefix = sharesPrefix;
    }

    /// <summary>The rule of each issuer, in the same order, knowing every other issuer's prefix.</summary>
    public static UserIdRule[] For(IReadOnlyList<IssuerSettings> issuers)
    {
        var rules = new UserIdRule[issuers.Count];
        for (var i = 0; i < issuers.Count; i++)
        {
            var prefix = issuers[i].UserIdPrefix;
            var foreign = new List<string>();
            var shares = false;
            for (var j = 0; j < issuers.Count; j++)
            {
                var other = issuers[j].UserIdPrefix;
                if (j == i || !other.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (other.Length == prefix.Length)
                {
                    shares = true;
                }
                else
                {
                    foreign.Add(other[prefix.Length..]);
                }
            }

            rules[i] = new UserIdRule(issuers[i].UserClaim, [.. foreign], IsServiceAccountIssuer(issuers[i]), shares);
        }

        return rules;
    }

    /// <summary>An issuer whose ids are Kubernetes ServiceAccount ids: it names its user by <c>sub</c>.</summary>
    public static bool IsServiceAccountIssuer(IssuerSettings issuer) => issuer.UserClaim == "sub";

    /// <summary>Null when <paramref name="user"/> may be an id of this issuer, else the failure detail (never the value).</summary>
    public string? Check(string? user)
    {
        if (user is null)
        {
            return $"{_claim} missing";
        }

        if (user.Length == 0)
        {
            return $"{_claim} empty";
        }

        if (user.Length > MaxChars)
        {
            return $"{_claim} longer than {MaxChars} characters";
        }

        // Apps read the id from a header they trim: " admin@example.com" would become another user downstream.
        if (char.IsWhiteSpace(user[0]) || char.IsWhiteSpace(user[^1]))
        {
            return $"{_claim} has leading or trailing whitespace";
        }

        // The id goes into a request header: a control character could split or forge it.
        if (user.Any(char.IsControl))
        {
            return $"{_claim} has control characters";
        }

        foreach (var start in _foreignStarts)
        {
            if (user.StartsWith(start, StringComparison.OrdinalIgnoreCase))
            {
                return $"{_claim} starts with another issuer's user id prefix";
            }
        }

        return CheckKubernetesNamespace(user);
    }

    private string? CheckKubernetesNamespace(string user)
    {
        var isKubernetesId = user.StartsWith(KubernetesPrefix, StringComparison.OrdinalIgnoreCase);
        if (isKubernetesId && !_isServiceAccountIssuer)
        {
            return $"{_claim} starts with '{KubernetesPrefix}', which only a ServiceAccount issuer may use";
        }

        // A ServiceAccount issuer that shares its prefix is kept apart from the other issuer by 'system:' alone.
        return !isKubernetesId && _isServiceAccountIssuer && _sharesPrefix
            ? $"{_claim} is not a Kubernetes id ('{KubernetesPrefix}…') and this issuer shares its user id prefix"
            : null;
    }
}
