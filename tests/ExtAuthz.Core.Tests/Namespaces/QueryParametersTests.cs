using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class QueryParametersTests
{
    [Theory]
    [InlineData(Framework.Exact, "namespace", "namespace=alice", "<alice>")]
    [InlineData(Framework.Exact, "namespace", "namespace=alice&namespace=bob", "<alice>|<bob>")]
    [InlineData(Framework.Exact, "namespace", "a=1&&namespace=alice", "<alice>")]
    [InlineData(Framework.Exact, "namespace", "&namespace=alice", "<alice>")]
    [InlineData(Framework.Exact, "namespace", "=alice&namespace=bob", "<bob>")]
    [InlineData(Framework.Exact, "namespace", "namespace", "<>")]
    [InlineData(Framework.Exact, "namespace", "namespace&x=1", "<>")]
    [InlineData(Framework.Exact, "namespace", "namespace=", "<>")]
    [InlineData(Framework.Exact, "namespace", "", "")]
    [InlineData(Framework.Exact, "namespace", "a=1&", "")]
    [InlineData(Framework.Exact, "namespace", "namespaces=alice", "")]
    [InlineData(Framework.Exact, "namespace", "abcdefghi=alice", "")]
    [InlineData(Framework.Exact, "namespace", "namespace[x]=bob", "")]
    [InlineData(Framework.Exact, "namespace", "%6Eamespace=alice", "<alice>")]
    [InlineData(Framework.Exact, "namespace", "name%73pace=alice", "<alice>")]
    [InlineData(Framework.Exact, "namespace", "namespace%zz=alice", "")]
    [InlineData(Framework.Exact, "namespace", "name+space=alice", "")]
    [InlineData(Framework.Express, "namespace", "namespace[x]=bob&namespace[]=carol", "<bob>|<carol>")]
    [InlineData(Framework.Express, "namespace", "namespacex=bob", "")]
    [InlineData(Framework.Express, "namespace", "namespacex[x]=bob", "")]
    [InlineData(Framework.Express, "namespace", "namespace%5B0%5D=bob", "<bob>")]
    [InlineData(Framework.GrpcGateway, "resource_reference_key.type", "resourceReferenceKey.type=NAMESPACE", "<NAMESPACE>")]
    [InlineData(Framework.GrpcGateway, "resource_reference_key.type", "resource_reference_key.type=NAMESPACE", "<NAMESPACE>")]
    [InlineData(Framework.Exact, "resource_reference_key.type", "resourceReferenceKey.type=NAMESPACE", "")]
    [InlineData(Framework.Exact, "namespace,team", "team=a&namespace=b&other=c", "<a>|<b>")]
    public void Find_EverySpellingOfTheFramework_RawValues(Framework framework, string names, string query, string expected) =>
        Assert.Equal(expected, Values(new QueryParameters(framework, names.Split(',')), query));

    [Theory]
    [InlineData(256, "<bob>")]
    [InlineData(257, "")]
    public void Find_EncodedNameAtTheLengthLimit_ReadUpToIt(int length, string expected)
    {
        // namespace[xx…x] with its brackets encoded: a name qs reads as namespace, however long.
        var name = "namespace%5B" + new string('x', length - 15) + "%5D";

        Assert.Equal(expected, Values(new QueryParameters(Framework.Express, ["namespace"]), name + "=bob"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("namespace", false)]
    public void IsEmpty_OnlyWithoutNames(string names, bool empty) =>
        Assert.Equal(empty, new QueryParameters(Framework.Exact, names.Split(',', StringSplitOptions.RemoveEmptyEntries)).IsEmpty);

    private static string Values(QueryParameters parameters, string query)
    {
        var values = new List<string>();
        foreach (var range in parameters.Find(query.AsMemory()))
        {
            values.Add($"<{query[range]}>");
        }

        return string.Join('|', values);
    }
}
