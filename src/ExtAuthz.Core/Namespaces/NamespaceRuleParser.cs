using ExtAuthz.Core.Namespaces.Catalogue;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Reads one <c>Policy:NamespaceRules:N</c> entry as a catalogue app of its own: a path shape <c>/myapp/{ns}/</c>
/// (the namespace segment, then anything), or a query parameter under a prefix, <c>/myapp/?param={ns}</c>. Such an
/// app does not fail closed: it only adds where a namespace is read.
/// </summary>
public static class NamespaceRuleParser
{
    private const string Placeholder = "{ns}";

    public static CatalogueApp? TryParse(string? text, string name, out string? error)
    {
        error = null;
        var question = text?.IndexOf('?') ?? -1;
        var pathPart = question < 0 ? text : text![..question];
        if (string.IsNullOrWhiteSpace(pathPart) || pathPart[0] != '/' || pathPart.Contains('%') || pathPart.Contains("//", StringComparison.Ordinal))
        {
            error = $"'{text}' must be a path such as /myapp/{{ns}}/ (starting with '/', no encoding or empty segment) or a query parameter such as /myapp/?namespace={{ns}}";
            return null;
        }

        var segments = pathPart.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".." || s != Placeholder && s != "*" && (s.Contains('{') || s.Contains('*') || s.Contains('}'))))
        {
            error = $"'{text}' may only hold literal segments, '*' and one {Placeholder}";
            return null;
        }

        NamespaceLocation location;
        if (question < 0)
        {
            if (segments.Count(s => s == Placeholder) != 1)
            {
                error = $"'{text}' must contain exactly one {Placeholder} segment";
                return null;
            }

            location = new NamespaceLocation { PathVariable = "ns" };
        }
        else
        {
            var query = text![(question + 1)..];
            var eq = query.IndexOf('=');
            var parameter = eq < 0 ? string.Empty : query[..eq];
            if (eq <= 0 || query[(eq + 1)..] != Placeholder || parameter.IndexOfAny(['&', '%', '+', '=']) >= 0 || segments.Contains(Placeholder))
            {
                error = $"'{text}' must be a path such as /myapp/{{ns}}/ or a query parameter such as /myapp/?namespace={{ns}}";
                return null;
            }

            location = new NamespaceLocation { Query = [parameter] };
        }

        var template = RouteTemplate.Parse("/" + string.Join('/', segments.Append("**")));
        return new CatalogueApp
        {
            Name = name,
            File = name,
            Framework = Framework.Exact,
            GatewayMount = string.Empty,
            Closed = [],
            Routes = [new CatalogueRoute { Template = template, Namespace = location }],
            Sources = [$"{name}: {text}"],
        };
    }
}
