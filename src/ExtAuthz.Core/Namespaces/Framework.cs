namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// The web framework an app runs on, which decides how its routes match: Express compares paths case-insensitively
/// and its query parser (qs) reads <c>x[]=</c>, <c>x[0]=</c> and <c>x[k]=</c> as <c>x</c>; grpc-gateway accepts a
/// field by its proto name or its JSON (lowerCamelCase) name, enum values by name or number, and <c>key[value]</c>
/// map syntax; Flask, Go's net/http and gorilla/mux, and Jupyter's Tornado compare paths exactly.
/// </summary>
public enum Framework
{
    Exact = 0,
    Express,
    GrpcGateway,
}

/// <summary>The matching rules of each <see cref="Framework"/>.</summary>
public static class Frameworks
{
    /// <summary>Catalogue spellings: <c>express</c>, <c>grpc-gateway</c>, and the exact ones.</summary>
    public static bool TryParse(string? text, out Framework framework)
    {
        framework = text switch
        {
            "express" => Framework.Express,
            "grpc-gateway" => Framework.GrpcGateway,
            "flask" or "go" or "gorilla" or "tornado" or "envoy" or "exact" => Framework.Exact,
            _ => (Framework)(-1),
        };
        return (int)framework >= 0;
    }

    public const string Names = "express, grpc-gateway, flask, go, gorilla, tornado, envoy, exact";

    public static bool IgnoresCase(this Framework framework) => framework == Framework.Express;

    /// <summary>True when <c>name[…]=value</c> is read as a value of <c>name</c> (qs arrays and objects, grpc-gateway maps).</summary>
    public static bool ReadsBrackets(this Framework framework) => framework is Framework.Express or Framework.GrpcGateway;

    /// <summary>Every name under which the framework reads the parameter <paramref name="name"/>.</summary>
    public static IEnumerable<string> Spellings(this Framework framework, string name)
    {
        yield return name;
        if (framework == Framework.GrpcGateway)
        {
            var json = string.Join('.', name.Split('.').Select(JsonName));
            if (json != name)
            {
                yield return json;
            }
        }
    }

    /// <summary>protoc's JSON name of a field: underscores dropped, the letter after each one upper-cased.</summary>
    private static string JsonName(string protoName)
    {
        var chars = new List<char>(protoName.Length);
        var upper = false;
        foreach (var c in protoName)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            chars.Add(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return new string([.. chars]);
    }
}
