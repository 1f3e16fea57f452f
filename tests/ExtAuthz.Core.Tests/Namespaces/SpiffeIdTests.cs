using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class SpiffeIdTests
{
    [Theory]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "alice")]
    [InlineData("spiffe://td.example/ns/kubeflow/sa/notebook-controller-service-account", "kubeflow")]
    [InlineData("cluster.local/ns/alice/sa/default-editor", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sa/", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sa/x/y", null)]
    [InlineData("spiffe://cluster.local/ns//sa/x", null)]
    [InlineData("spiffe://cluster.local/ns/Alice/sa/x", null)]
    [InlineData("spiffe:///ns/alice/sa/x", null)]
    [InlineData("spiffe://cluster.local/sa/x/ns/alice", null)]
    [InlineData("SPIFFE://cluster.local/ns/alice/sa/x", null)]
    [InlineData("", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sa", null)]
    [InlineData("spiffe://cluster.local/ns/alice/", null)]
    [InlineData("spiffe://cluster.local/ns/alice", null)]
    [InlineData("spiffe://cluster.local", null)]
    [InlineData("spiffe://cluster.local/nsx/alice/sa/x", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sax/x", null)]
    [InlineData("spiffe://cluster.local/ns/alice/ns/x", null)]
    [InlineData("spiffe://a/b/ns/alice/sa/x", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sa//", null)]
    [InlineData("spiffe://cluster.local/xx/alice/sa/x", null)]
    [InlineData("spiffe://cluster.local/ns/alice/xx/y", null)]
    public void TryGetNamespace_StrictShape(string principal, string? expected)
    {
        var found = SpiffeId.TryGetNamespace(principal, out var ns);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, ns.ToString());
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/x", "cluster.local/ns/kubeflow/sa/x")]
    [InlineData("cluster.local/ns/kubeflow/sa/x", "cluster.local/ns/kubeflow/sa/x")]
    [InlineData("ns/a", "ns/a")]
    [InlineData("", "")]
    public void WithoutScheme_SchemeDroppedWhenPresent(string principal, string expected) =>
        Assert.Equal(expected, SpiffeId.WithoutScheme(principal).ToString());

    [Theory]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/x", "ns/kubeflow/sa/x")]
    [InlineData("spiffe://example.org/ns/kubeflow/sa/x", "ns/kubeflow/sa/x")]
    [InlineData("cluster.local/ns/kubeflow/sa/x", "ns/kubeflow/sa/x")]
    [InlineData("td/ns/kubeflow/sa/x", "ns/kubeflow/sa/x")]
    [InlineData("spiffe:///ns/kubeflow/sa/x", "ns/kubeflow/sa/x")]
    [InlineData("spiffe://cluster.local", "")]
    [InlineData("", "")]
    public void WorkloadPart_TrustDomainDropped(string principal, string expected) =>
        Assert.Equal(expected, SpiffeId.WorkloadPart(principal).ToString());

    [Theory]
    [InlineData("alice", true)]
    [InlineData("kubeflow-user-example-com", true)]
    [InlineData("a1", true)]
    [InlineData("1a", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("A", false)]
    [InlineData("a.b", false)]
    [InlineData("a_b", false)]
    [InlineData("a b", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void DnsLabel_IsValid(string name, bool valid) => Assert.Equal(valid, DnsLabel.IsValid(name));
}
