using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Tests.Namespaces;

/// <summary>
/// The matcher on small catalogues of apps mounted at <c>/m</c>, one route each, written "template source" where the
/// source is <c>path</c> (the variable {ns}), <c>query</c> (the parameter <c>namespace</c>) <c>reference</c> (<c>type=NAMESPACE&amp;id=</c>) or <c>none</c>.
/// </summary>
public sealed class RouteTableTests
{
    private static readonly Profiles s_profiles = new("alice", "bob");

    [Theory]
    // Two routes as specific as each other: both are read, and they must agree.
    [InlineData("/x/{ns}/** path | /x/{name}/** query", "/m/x/alice/y?namespace=bob", "Conflict", "alice")]
    [InlineData("/x/{ns}/** path | /x/{name}/** query", "/m/x/alice/y?namespace=alice", "Found", "alice")]
    [InlineData("/x/{ns}/** path | /x/{name}/** query", "/m/x/alice/y", "Found", "alice")]
    [InlineData("/x/{name}/** query | /x/{ns}/** path", "/m/x/alice/y", "Found", "alice")]
    [InlineData("/x/{name}/** none | /x/{ns}/** path", "/m/x/alice/y", "Found", "alice")]
    [InlineData("/x/{ns}/** path | /x/{name}/** query", "/m/x/Alice/y?namespace=bob", "Invalid", "Alice")]
    [InlineData("/x/{name}/** query | /x/{ns}/** path", "/m/x/Alice/y?namespace=bob", "Invalid", "Alice")]
    [InlineData("/x/{name}/** none | /x/{id}/** none", "/m/x/alice/y", "None", null)]
    // A route that reads only a typed reference.
    [InlineData("/x reference", "/m/x?type=NAMESPACE&id=alice", "Found", "alice")]
    // Three ties: the third is read too.
    [InlineData("/x/{a}/** none | /x/{ns}/** path | /x/{name}/** query", "/m/x/alice/y?namespace=bob", "Conflict", "alice")]
    public void Resolve_EquallySpecificRoutes_EveryOneReadAndMustAgree(string routes, string target, string outcome, string? ns)
    {
        var result = Resolve(routes, target);

        Assert.Equal(RouteOutcome.Matched, result.Outcome);
        Assert.Equal(outcome, result.Namespace.Outcome.ToString());
        Assert.Equal(ns, ns is null ? null : result.Namespace.Value.ToString());
    }

    [Theory]
    // A variable beats the rest, whichever comes first; the other route's namespace is never read.
    [InlineData("/x/{ns}/** path | /x/** query", "/m/x/alice/y?namespace=bob", "/x/{ns}/**", "alice")]
    [InlineData("/x/** query | /x/{ns}/** path", "/m/x/alice/y?namespace=bob", "/x/{ns}/**", "alice")]
    // A template that ended beats one whose '**' matched nothing: templates of different lengths.
    [InlineData("/x/{name}/** query | /x/{ns} path", "/m/x/alice?namespace=bob", "/x/{ns}", "alice")]
    [InlineData("/x/{ns} path | /x/{name}/** query", "/m/x/alice?namespace=bob", "/x/{ns}", "alice")]
    [InlineData("/x/** query | /x none", "/m/x?namespace=bob", "/x", null)]
    [InlineData("/x none | /x/** query", "/m/x?namespace=bob", "/x", null)]
    // A literal beats a variable, a longer literal prefix beats a shorter one.
    [InlineData("/x/{ns}/** path | /x/y/** query", "/m/x/y/z?namespace=bob", "/x/y/**", "bob")]
    [InlineData("/x/y/** query | /x/{ns}/** path", "/m/x/y/z?namespace=bob", "/x/y/**", "bob")]
    [InlineData("/x/** none | /x/y/{ns}/** path", "/m/x/y/alice", "/x/y/{ns}/**", "alice")]
    [InlineData("/{ns}/** path | /x/** query", "/m/x/y?namespace=bob", "/x/**", "bob")]
    public void Resolve_RoutesOfDifferentSpecificity_OnlyTheMostSpecificRead(string routes, string target, string winner, string? ns)
    {
        var result = Resolve(routes, target);

        Assert.Equal(winner, result.Route!.Route.Template.Text);
        Assert.Equal(ns is null ? NamespaceOutcome.None : NamespaceOutcome.Found, result.Namespace.Outcome);
        Assert.Equal(ns, ns is null ? null : result.Namespace.Value.ToString());
    }

    [Fact]
    public void Resolve_EightEquallySpecificRoutes_AllCompared()
    {
        var result = Resolve(string.Join(" | ", Enumerable.Repeat("/x/{ns} path", 8)), "/m/x/alice");

        Assert.Equal((NamespaceOutcome.Found, "alice"), (result.Namespace.Outcome, result.Namespace.Value.ToString()));
    }

    [Fact]
    public void Resolve_MoreEquallySpecificRoutesThanCompared_RefusedAsUnknown()
    {
        var result = Resolve(string.Join(" | ", Enumerable.Repeat("/x/{ns} path", 9)), "/m/x/alice");

        Assert.Equal((RouteOutcome.UnknownUnderApp, NamespaceOutcome.UnknownRoute), (result.Outcome, result.Namespace.Outcome));
    }

    [Theory]
    [InlineData("/m/x/anything", "Matched")]
    [InlineData("/m/x/x", "Matched")]
    [InlineData("/m/x", "UnknownUnderApp")]
    [InlineData("/m/x/a/b", "UnknownUnderApp")]
    public void Resolve_StarSegment_MatchesOneSegmentOfAnyValue(string target, string outcome)
    {
        var result = Resolve("/x/* none", target);

        Assert.Equal(outcome, result.Outcome.ToString());
    }

    private static RouteResult Resolve(string routes, string target) =>
        Table(routes).Resolve(PathNormalizer.Normalize(target), "GET", RouteSelection.Gateway, s_profiles);

    private static RouteTable Table(string routes) =>
        new([.. routes.Split(" | ").Select((route, i) => new CatalogueApp
        {
            Name = $"app{i}",
            File = "test.yaml",
            Framework = Framework.Exact,
            GatewayMount = "/m",
            Routes = [Route(route)],
        })]);

    private static CatalogueRoute Route(string spec)
    {
        var parts = spec.Split(' ');
        return new CatalogueRoute
        {
            Template = RouteTemplate.Parse(parts[0]),
            Namespace = parts[1] switch
            {
                "path" => new NamespaceLocation { PathVariable = "ns" },
                "query" => new NamespaceLocation { Query = ["namespace"] },
                "reference" => new NamespaceLocation { Reference = new Core.Namespaces.Catalogue.TypedReference("type", "id", ["NAMESPACE"]) },
                _ => new NamespaceLocation { None = "static" },
            },
        };
    }
}
