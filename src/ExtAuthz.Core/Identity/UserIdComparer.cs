namespace ExtAuthz.Core.Identity;

/// <summary>
/// Matches user ids for revocation only: email addresses case-insensitively, every other id exactly. Deliberately
/// broader than the grant rule (DESIGN §3: ids match exactly, byte for byte, in <c>Access.GrantTable</c>): a
/// revocation only ever denies, so revoking <c>alice@example.com</c> also stops a token that spells the same mailbox
/// <c>Alice@Example.com</c>. Never use it to grant. Whether an id holds '@' does not depend on case, so hashing stays
/// consistent with equality.
/// </summary>
public sealed class UserIdComparer : IEqualityComparer<string>
{
    public static UserIdComparer Instance { get; } = new();

    public bool Equals(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x == y;
        }

        return IsEmail(x) && IsEmail(y)
            ? string.Equals(x, y, StringComparison.OrdinalIgnoreCase)
            : string.Equals(x, y, StringComparison.Ordinal);
    }

    public int GetHashCode(string obj) =>
        IsEmail(obj) ? StringComparer.OrdinalIgnoreCase.GetHashCode(obj) : StringComparer.Ordinal.GetHashCode(obj);

    /// <summary>The form used in keys: emails lower-cased, other ids unchanged.</summary>
    public static string Normalize(string id) => IsEmail(id) ? id.ToLowerInvariant() : id;

    private static bool IsEmail(string id) => id.Contains('@');
}
