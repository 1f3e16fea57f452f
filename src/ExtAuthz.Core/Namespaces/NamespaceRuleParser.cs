using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Reads one <c>Policy:NamespaceRules:N</c> entry: a path shape <c>/myapp/{ns}/</c>, or a query parameter under a
/// prefix, <c>/myapp/?param={ns}</c>.
/// </summary>
public static class NamespaceRuleParser
{
    public static INamespaceRule? TryParse(string? text, out string? error)
    {
        var question = text?.IndexOf('?') ?? -1;
        if (text is null || question < 0)
        {
            return PathNamespaceRule.TryParse(text, out error);
        }

        var prefix = PathPattern.TryParse(text[..question], out error);
        if (prefix is null)
        {
            return null;
        }

        var query = text[(question + 1)..];
        var eq = query.IndexOf('=');
        var name = eq < 0 ? string.Empty : query[..eq];
        if (eq <= 0 || query[(eq + 1)..] != PathNamespaceRule.Placeholder || name.IndexOfAny(['&', '%', '+', '=']) >= 0)
        {
            error = $"'{text}' must be a path such as /myapp/{{ns}}/ or a query parameter such as /myapp/?namespace={{ns}}";
            return null;
        }

        return new QueryNamespaceRule(prefix, [name]);
    }
}
