namespace ExtAuthz.Core.Namespaces;

/// <summary>What one source read from a request: nothing, a namespace, a value that is no namespace, or two values.</summary>
public readonly record struct NamespaceCandidate
{
    public NamespaceOutcome Outcome { get; private init; }

    /// <summary>The namespace (or the rejected value); a slice of the request where no decoding was needed.</summary>
    public ReadOnlyMemory<char> Value { get; private init; }

    /// <summary>The second, different value of a conflict.</summary>
    public ReadOnlyMemory<char> Other { get; private init; }

    /// <summary>The rule or route that read it (catalogue text, never a request value), for the decision detail.</summary>
    public string? Rule { get; private init; }

    /// <summary>Where <see cref="Value"/> came from.</summary>
    public NamespaceSource Source { get; private init; }

    /// <summary>Where <see cref="Other"/> came from.</summary>
    public NamespaceSource OtherSource { get; private init; }

    public static NamespaceCandidate None => default;

    public static NamespaceCandidate Found(ReadOnlyMemory<char> value, string rule, NamespaceSource source) =>
        DnsLabel.IsValid(value.Span)
            ? new() { Outcome = NamespaceOutcome.Found, Value = value, Rule = rule, Source = source }
            : Invalid(value, rule, source);

    public static NamespaceCandidate Invalid(ReadOnlyMemory<char> value, string rule, NamespaceSource source) =>
        new() { Outcome = NamespaceOutcome.Invalid, Value = value, Rule = rule, Source = source };

    public static NamespaceCandidate Conflict(in NamespaceCandidate first, in NamespaceCandidate second, string rule) =>
        new()
        {
            Outcome = NamespaceOutcome.Conflict,
            Value = first.Value,
            Other = second.Value,
            Rule = rule,
            Source = first.Source,
            OtherSource = second.Source,
        };

    /// <summary>A path under a known app that matches none of its routes, or an unknown path under <c>UnknownRoutes=Deny</c>.</summary>
    public static NamespaceCandidate UnknownRoute(string rule) => new() { Outcome = NamespaceOutcome.UnknownRoute, Rule = rule };

    /// <summary>The value as it may appear in a detail: itself when it came from the path or the destination, else its source.</summary>
    public string Shown => Show(Value, Source);

    /// <summary>The conflict's second value as it may appear in a detail.</summary>
    public string OtherShown => Show(Other, OtherSource);

    private static string Show(ReadOnlyMemory<char> value, NamespaceSource source) => source switch
    {
        NamespaceSource.Path or NamespaceSource.Destination => $"'{value}'",
        NamespaceSource.Query => "a query parameter's value",
        NamespaceSource.Host => "the host's namespace label",
        _ => "a value",
    };
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

    /// <summary>A path under a known app that none of its routes describes: denied (<c>unknown_route</c>).</summary>
    UnknownRoute,
}
