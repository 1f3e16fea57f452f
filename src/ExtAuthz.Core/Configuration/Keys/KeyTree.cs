using System.Reflection;

namespace ExtAuthz.Core.Configuration.Keys;

/// <summary>
/// The known configuration keys, read from the options classes themselves: every public property the configuration
/// binder would fill is a key, lists take numbered items and dictionaries any name. A property added to an options
/// class is therefore a known key at once, with no list of names to keep in step.
/// </summary>
internal static class KeyTree
{
    private const int MaxDepth = 12;

    private static readonly HashSet<Type> s_scalars =
    [
        typeof(string), typeof(decimal), typeof(TimeSpan), typeof(DateTime), typeof(DateTimeOffset), typeof(Guid), typeof(Uri),
        typeof(DateOnly), typeof(TimeOnly),
    ];

    /// <summary>The keys of one options class (its properties), recursively.</summary>
    public static KeyNode Of(Type type) => Build(type, 0);

    /// <summary>A root made of named sections; an <see cref="KeyNode.Open"/> node accepts anything below its name.</summary>
    public static KeyNode Root(IEnumerable<KeyValuePair<string, KeyNode>> sections) =>
        KeyNode.Section(new Dictionary<string, KeyNode>(sections, StringComparer.OrdinalIgnoreCase));

    /// <summary>The root sections of <paramref name="type"/>: its properties, each a section of the configuration.</summary>
    public static IEnumerable<KeyValuePair<string, KeyNode>> SectionsOf(Type type) => Of(type).Children;

    private static KeyNode Build(Type type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"options nest deeper than {MaxDepth} levels at {type.Name}");
        }

        if (IsScalar(Nullable.GetUnderlyingType(type) ?? type))
        {
            return KeyNode.Value(type);
        }

        if (type.IsArray)
        {
            return KeyNode.List(Build(type.GetElementType()!, depth + 1));
        }

        if (DictionaryValue(type) is { } valueType)
        {
            return KeyNode.Map(Build(valueType, depth + 1));
        }

        if (ListItem(type) is { } itemType)
        {
            return KeyNode.List(Build(itemType, depth + 1));
        }

        var children = new Dictionary<string, KeyNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (IsBound(property))
            {
                children[property.Name] = Build(property.PropertyType, depth + 1);
            }
        }

        return KeyNode.Section(children);
    }

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || s_scalars.Contains(type);

    /// <summary>What the binder fills: a property with a public setter, or a get-only one holding an object or a collection.</summary>
    private static bool IsBound(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0
        && property.GetMethod is { IsPublic: true }
        && (property.SetMethod is { IsPublic: true } || !IsScalar(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType));

    /// <summary>The value type of a dictionary (the binder reads its keys from the configuration's names).</summary>
    private static Type? DictionaryValue(Type type) =>
        (GenericArguments(type, typeof(IDictionary<,>)) ?? GenericArguments(type, typeof(IReadOnlyDictionary<,>))) is [_, var value] ? value : null;

    private static Type? ListItem(Type type) => GenericArguments(type, typeof(IEnumerable<>))?[0];

    private static Type[]? GenericArguments(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type.GetGenericArguments();
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments();
    }
}
