namespace ExtAuthz.Core.Namespaces;

/// <summary>What one rule read from a request: nothing, a namespace, a value that is no namespace, or two values.</summary>
public readonly record struct NamespaceCandidate
{
    public NamespaceOutcome Outcome { get; private init; }

    /// <summary>The namespace (or the rejected value); a slice of the request where no decoding was needed.</summary>
    public ReadOnlyMemory<char> Value { get; private init; }

    /// <summary>The second, different value of a conflict.</summary>
    public ReadOnlyMemory<char> Other { get; private init; }

    /// <summary>The rule that read it, for the decision detail.</summary>
    public string? Rule { get; private init; }

    public static NamespaceCandidate None => default;

    public static NamespaceCandidate Found(ReadOnlyMemory<char> value, string rule) =>
        DnsLabel.IsValid(value.Span)
            ? new() { Outcome = NamespaceOutcome.Found, Value = value, Rule = rule }
            : Invalid(value, rule);

    public static NamespaceCandidate Invalid(ReadOnlyMemory<char> value, string rule) =>
        new() { Outcome = NamespaceOutcome.Invalid, Value = value, Rule = rule };

    public static NamespaceCandidate Conflict(ReadOnlyMemory<char> first, ReadOnlyMemory<char> second, string rule) =>
        new() { Outcome = NamespaceOutcome.Conflict, Value = first, Other = second, Rule = rule };
}

/// <summary>How namespace resolution ended (DESIGN §2 step 6).</summary>
public enum NamespaceOutcome
{
    /// <summary>The request names no namespace: an authenticated caller may pass.</summary>
    None = 0,
    Found,

    /// <summary>A value where a namespace belongs that is not a DNS label: denied, never looked up.</summary>
    Invalid,

    /// <summary>Two different namespaces in one request: denied.</summary>
    Conflict,
}
