namespace ExtAuthz.Core.Configuration.Keys;

/// <summary>What a configuration key may hold: named keys, numbered items, any names, one value, or anything at all.</summary>
internal enum KeyNodeKind
{
    /// <summary>An options class: its property names are the keys.</summary>
    Section,

    /// <summary>A list: items numbered 0, 1, 2, ….</summary>
    List,

    /// <summary>A dictionary: any name, each holding the same kind of thing.</summary>
    Map,

    /// <summary>One value, read with the type's own converter.</summary>
    Value,

    /// <summary>A subtree owned by someone else (the host's <c>Kestrel</c>, say): every key under it is accepted.</summary>
    Open,
}

/// <summary>One node of the tree of known configuration keys (<see cref="KeyTree"/>).</summary>
internal sealed class KeyNode
{
    private static readonly Dictionary<string, KeyNode> s_none = new(StringComparer.OrdinalIgnoreCase);

    private KeyNode(KeyNodeKind kind, Type? valueType, Dictionary<string, KeyNode> children, KeyNode? item, bool openBeside = false)
    {
        Kind = kind;
        ValueType = valueType;
        Children = children;
        Item = item;
        OpenBeside = openBeside;
    }

    public static KeyNode Open { get; } = new(KeyNodeKind.Open, null, s_none, null);

    public KeyNodeKind Kind { get; }

    /// <summary>The type a <see cref="KeyNodeKind.Value"/> is converted to.</summary>
    public Type? ValueType { get; }

    /// <summary>The keys of a <see cref="KeyNodeKind.Section"/>, compared without case as configuration keys are.</summary>
    public Dictionary<string, KeyNode> Children { get; }

    /// <summary>What each item of a list or each entry of a map holds.</summary>
    public KeyNode? Item { get; }

    /// <summary>
    /// A section that others add to (the host's <c>Logging</c>, whose providers have sections of their own): a name
    /// that is not one of <see cref="Children"/> is accepted, unless it is a likely misspelling of one.
    /// </summary>
    public bool OpenBeside { get; }

    /// <summary>This section, with names beside its own accepted (<see cref="OpenBeside"/>).</summary>
    public KeyNode WithOthersBeside() => new(Kind, ValueType, Children, Item, openBeside: true);

    public static KeyNode Value(Type type) => new(KeyNodeKind.Value, type, s_none, null);

    public static KeyNode List(KeyNode item) => new(KeyNodeKind.List, null, s_none, item);

    public static KeyNode Map(KeyNode item) => new(KeyNodeKind.Map, null, s_none, item);

    public static KeyNode Section(Dictionary<string, KeyNode> children) => new(KeyNodeKind.Section, null, children, null);
}
