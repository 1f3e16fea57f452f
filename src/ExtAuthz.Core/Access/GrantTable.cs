using System.Collections.Frozen;

namespace ExtAuthz.Core.Access;

/// <summary>
/// Ids to grants, matched by the rule of <see cref="UserIds"/>: email ids in a case-insensitive table, all other
/// ids in an exact one. An email never equals a non-email, so the two tables never disagree, and a lookup is one
/// hash probe with no allocation and no lower-casing.
/// </summary>
public sealed class GrantTable
{
    private readonly FrozenDictionary<string, Grant> _exact;
    private readonly FrozenDictionary<string, Grant> _email;

    private GrantTable(FrozenDictionary<string, Grant> exact, FrozenDictionary<string, Grant> email)
    {
        _exact = exact;
        _email = email;
    }

    public static GrantTable Empty { get; } = new(FrozenDictionary<string, Grant>.Empty, FrozenDictionary<string, Grant>.Empty);

    public int Count => _exact.Count + _email.Count;

    public bool IsEmpty => _exact.Count == 0 && _email.Count == 0;

    /// <summary>Builds the table; when an id appears twice, <paramref name="pick"/> chooses which value stays.</summary>
    public static GrantTable Create(IEnumerable<KeyValuePair<string, Grant>> entries, Func<Grant, Grant, Grant> pick)
    {
        Dictionary<string, Grant>? exact = null;
        Dictionary<string, Grant>? email = null;
        foreach (var (id, value) in entries)
        {
            var table = UserIds.IsEmail(id)
                ? email ??= new Dictionary<string, Grant>(StringComparer.OrdinalIgnoreCase)
                : exact ??= new Dictionary<string, Grant>(StringComparer.Ordinal);
            table[id] = table.TryGetValue(id, out var existing) ? pick(existing, value) : value;
        }

        if (exact is null && email is null)
        {
            return Empty;
        }

        return new GrantTable(
            exact?.ToFrozenDictionary(StringComparer.Ordinal) ?? FrozenDictionary<string, Grant>.Empty,
            email?.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase) ?? FrozenDictionary<string, Grant>.Empty);
    }

    public Grant? Find(string id)
    {
        var table = id.Contains('@') ? _email : _exact;
        return table.Count != 0 && table.TryGetValue(id, out var value) ? value : null;
    }

    public IEnumerable<KeyValuePair<string, Grant>> Entries => _exact.Concat(_email);
}
