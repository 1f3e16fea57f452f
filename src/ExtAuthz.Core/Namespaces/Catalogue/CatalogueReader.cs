using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Core.Namespaces.Catalogue;

/// <summary>
/// Reads one catalogue file (format: <c>catalogue/README.md</c>) and reports every problem at once, each naming the
/// file, the app and the route: a catalogue that does not parse stops the start with the other configuration errors.
/// </summary>
internal static class CatalogueReader
{
    private static readonly HashSet<string> s_appKeys = ["app", "framework", "source", "mount", "principals", "profileWorkload", "closed", "hosts", "refererProxy", "routes"];
    private static readonly HashSet<string> s_routeKeys = ["path", "methods", "namespace", "examples", "note"];
    private static readonly HashSet<string> s_namespaceKeys = ["path", "pathHost", "ifProfile", "query", "reference", "none", "note"];

    public static List<CatalogueApp> Read(string file, string text, List<string> errors)
    {
        var apps = new List<CatalogueApp>();
        YamlStream stream;
        try
        {
            stream = new YamlStream();
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add($"{file}: not YAML: {e.Message} (line {e.Start.Line})");
            return apps;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "apps") is not YamlSequenceNode list)
        {
            errors.Add($"{file}: must be one YAML document with a list 'apps'");
            return apps;
        }

        var index = 0;
        foreach (var node in list)
        {
            index++;
            var where = $"{file}: app #{index}";
            if (node is not YamlMappingNode app)
            {
                errors.Add($"{where}: is not a mapping");
                continue;
            }

            if (ReadApp(file, app, where, errors) is { } read)
            {
                apps.Add(read);
            }
        }

        return apps;
    }

    private static CatalogueApp? ReadApp(string file, YamlMappingNode node, string where, List<string> errors)
    {
        var count = errors.Count;
        var name = Scalar(node, "app");
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{where}: 'app' (its name) is missing");
            return null;
        }

        where = $"{file}: app '{name}'";
        UnknownKeys(node, s_appKeys, where, errors);
        if (!Frameworks.TryParse(Scalar(node, "framework"), out var framework))
        {
            errors.Add($"{where}: 'framework' must be one of {Frameworks.Names}");
        }

        var sources = Strings(node, "source", where, errors);
        if (sources.Count == 0 || sources.Any(s => !s.Contains('@') || !s.Contains(':')))
        {
            errors.Add($"{where}: 'source' must cite where the routes were read, as repository@release:path");
        }

        var mount = Child(node, "mount") as YamlMappingNode;
        var gateway = mount is null ? null : Mount(Scalar(mount, "gateway"), $"{where}: mount.gateway", errors);
        var workload = mount is null ? null : Mount(Scalar(mount, "workload"), $"{where}: mount.workload", errors);
        var principals = Strings(node, "principals", where, errors);
        foreach (var principal in principals)
        {
            if (!SpiffeId.TryGetNamespace("spiffe://" + principal, out _))
            {
                errors.Add($"{where}: principal '{principal}' is not a workload identity such as cluster.local/ns/kubeflow/sa/name");
            }
        }

        var hosts = Strings(node, "hosts", where, errors);
        foreach (var host in hosts)
        {
            if (HostTemplate.TryParse(host, out var error) is null)
            {
                errors.Add($"{where}: host {error}");
            }
        }

        var closed = Strings(node, "closed", where, errors);
        foreach (var prefix in closed)
        {
            if (RouteTemplate.TryParse(prefix, out var error) is null)
            {
                errors.Add($"{where}: closed {error}");
            }
        }

        var routes = new List<CatalogueRoute>();
        if (Child(node, "routes") is YamlSequenceNode routeList)
        {
            foreach (var item in routeList)
            {
                if (ReadRoute(item, where, errors) is { } route)
                {
                    routes.Add(route);
                }
            }
        }

        if (routes.Count > 0 && gateway is null && workload is null)
        {
            errors.Add($"{where}: routes need a mount (gateway, workload or both)");
        }

        if (routes.Count == 0 && hosts.Count == 0)
        {
            errors.Add($"{where}: has neither routes nor hosts");
        }

        if (gateway is { Length: 0 } && closed.Count == 0)
        {
            errors.Add($"{where}: an app mounted at the gateway's root must say which prefixes fail closed ('closed'), or it would claim every path");
        }

        var refererProxy = Scalar(node, "refererProxy");
        if (refererProxy is not null && (refererProxy.Length < 3 || refererProxy[0] != '/' || refererProxy[^1] != '/'))
        {
            errors.Add($"{where}: refererProxy '{refererProxy}' must be a path marker such as /_proxy/");
        }

        var profileWorkload = Scalar(node, "profileWorkload") is "true";
        if (workload is not null && principals.Count == 0 && !profileWorkload)
        {
            errors.Add($"{where}: a workload mount needs 'principals' or 'profileWorkload: true' (who serves it)");
        }

        return errors.Count > count ? null : new CatalogueApp
        {
            Name = name,
            File = file,
            Framework = framework,
            GatewayMount = gateway,
            WorkloadMount = workload,
            Principals = principals,
            ProfileWorkload = profileWorkload,
            Closed = closed.Count == 0 ? ["/"] : closed,
            Hosts = hosts,
            RefererProxy = refererProxy,
            Routes = routes,
            Sources = sources,
        };
    }

    private static CatalogueRoute? ReadRoute(YamlNode node, string app, List<string> errors)
    {
        if (node is not YamlMappingNode route)
        {
            errors.Add($"{app}: a route is not a mapping");
            return null;
        }

        var path = Scalar(route, "path");
        var where = $"{app}: route '{path}'";
        UnknownKeys(route, s_routeKeys, where, errors);
        var template = RouteTemplate.TryParse(path, out var error);
        if (template is null)
        {
            errors.Add($"{app}: route {error}");
            return null;
        }

        var methods = Strings(route, "methods", where, errors);
        foreach (var method in methods)
        {
            if (method.Length == 0 || !method.All(char.IsAsciiLetterUpper))
            {
                errors.Add($"{where}: '{method}' is not an upper-case HTTP method");
            }
        }

        var location = ReadLocation(Child(route, "namespace"), template, where, errors);
        var examples = new List<RouteExample>();
        foreach (var text in Strings(route, "examples", where, errors))
        {
            if (ParseExample(text, methods) is { } example)
            {
                examples.Add(example);
            }
            else
            {
                errors.Add($"{where}: example '{text}' is not '[METHOD] [@workload] /path?query -> namespace|none'");
            }
        }

        return location is null ? null : new CatalogueRoute { Template = template, Methods = methods, Namespace = location, Examples = examples };
    }

    private static NamespaceLocation? ReadLocation(YamlNode? node, RouteTemplate template, string where, List<string> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add($"{where}: 'namespace' is missing (a path variable, query parameters, a reference, or none with a reason)");
            return null;
        }

        UnknownKeys(map, s_namespaceKeys, where + ": namespace", errors);
        var count = errors.Count;
        var variable = Scalar(map, "path");
        if (variable is not null && template.IndexOf(variable) < 0)
        {
            errors.Add($"{where}: namespace.path names {{{variable}}}, which the template does not have");
        }

        var pathHost = Scalar(map, "pathHost");
        if (pathHost is not null && template.IndexOf(pathHost) < 0)
        {
            errors.Add($"{where}: namespace.pathHost names {{{pathHost}}}, which the template does not have");
        }

        var query = Strings(map, "query", where, errors);
        foreach (var parameter in query)
        {
            if (!IsParameterName(parameter))
            {
                errors.Add($"{where}: '{parameter}' is not a query parameter name");
            }
        }

        TypedReference? reference = null;
        if (Child(map, "reference") is YamlMappingNode r)
        {
            var type = Scalar(r, "type");
            var id = Scalar(r, "id");
            var types = Strings(r, "types", where, errors);
            if (!IsParameterName(type) || !IsParameterName(id) || types.Count == 0)
            {
                errors.Add($"{where}: namespace.reference needs 'type' and 'id' parameter names and the 'types' that make the id a namespace");
            }
            else
            {
                reference = new TypedReference(type!, id!, types);
            }
        }

        var none = Scalar(map, "none");
        var names = variable is not null || pathHost is not null || query.Count > 0 || reference is not null;
        if (none is not null && !NamespaceLocation.NoneReasons.Contains(none))
        {
            errors.Add($"{where}: namespace.none '{none}' is not one of {string.Join(", ", NamespaceLocation.NoneReasons)}");
        }

        if (names == (none is not null))
        {
            errors.Add($"{where}: namespace must name where the namespace is (path, pathHost, query, reference) or say none with a reason, not both");
        }

        var ifProfile = Scalar(map, "ifProfile") is "true";
        if (ifProfile && variable is null && query.Count == 0)
        {
            errors.Add($"{where}: namespace.ifProfile needs a path variable or query parameters");
        }

        return errors.Count > count ? null : new NamespaceLocation
        {
            PathVariable = variable,
            PathHost = pathHost,
            IfProfile = ifProfile,
            Query = query,
            Reference = reference,
            None = none,
            Note = Scalar(map, "note"),
        };
    }

    /// <summary><c>[METHOD] [@workload] /path?query -> namespace|none</c>.</summary>
    private static RouteExample? ParseExample(string text, IReadOnlyList<string> methods)
    {
        var arrow = text.LastIndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            return null;
        }

        var expected = text[(arrow + 2)..].Trim();
        var words = text[..arrow].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var method = words.Count > 0 && words[0].All(char.IsAsciiLetterUpper) ? words[0] : (methods.Count > 0 ? methods[0] : "GET");
        if (words.Count > 0 && words[0] == method)
        {
            words.RemoveAt(0);
        }

        var atWorkload = words.Count > 0 && words[0] == "@workload";
        if (atWorkload)
        {
            words.RemoveAt(0);
        }

        if (words.Count != 1 || words[0][0] != '/' || expected.Length == 0)
        {
            return null;
        }

        return new RouteExample(method, words[0], expected == "none" ? null : expected, atWorkload);
    }

    private static string? Mount(string? text, string where, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0 || text[0] != '/' || (text.Length > 1 && RouteTemplate.TryParse(text, out _) is not { } t) || text.Contains('{') || text.Contains('*'))
        {
            errors.Add($"{where}: '{text}' is not a literal path prefix such as /jupyter or /");
            return null;
        }

        return text.TrimEnd('/');
    }

    private static bool IsParameterName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static void UnknownKeys(YamlMappingNode node, HashSet<string> known, string where, List<string> errors)
    {
        foreach (var key in node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !known.Contains(name))
            {
                errors.Add($"{where}: unknown key '{key}' (known: {string.Join(", ", known)})");
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static List<string> Strings(YamlMappingNode node, string key, string where, List<string> errors)
    {
        switch (Child(node, key))
        {
            case null:
                return [];
            case YamlScalarNode { Value: { } one }:
                return [one];
            case YamlSequenceNode list when list.All(n => n is YamlScalarNode { Value: not null }):
                return [.. list.Cast<YamlScalarNode>().Select(n => n.Value!)];
            default:
                errors.Add($"{where}: '{key}' must be a value or a list of values");
                return [];
        }
    }
}
