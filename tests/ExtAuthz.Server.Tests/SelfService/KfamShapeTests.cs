using ExtAuthz.Server.SelfService;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>Names, emails and mesh identities as kfam, the dashboard and Envoy spell them.</summary>
public sealed class KfamShapeTests
{
    /// <summary>The vectors of kubeflow/kubeflow v1.10.0 components/access-management/kfam/bindings_test.go TestGetBindingName.</summary>
    [Theory]
    [InlineData("lalith.vaka@zq.msds.kp.org", "edit", "user-lalith-vaka-zq-msds-kp-org-clusterrole-edit")]
    [InlineData("397401@zq.msds.kp.org", "edit", "user-397401-zq-msds-kp-org-clusterrole-edit")]
    [InlineData("lalith.397401@zq.msds.kp.org", "edit", "user-lalith-397401-zq-msds-kp-org-clusterrole-edit")]
    [InlineData("397401.vaka@zq.msds.kp.org", "edit", "user-397401-vaka-zq-msds-kp-org-clusterrole-edit")]
    [InlineData("i397401@zq.msds.kp.org", "edit", "user-i397401-zq-msds-kp-org-clusterrole-edit")]
    [InlineData("Bob.Smith+ml@Example.com", "view", "user-bob-smith-ml-example-com-clusterrole-view")]
    public void BindingName_KfamVector_Matches(string email, string role, string expected) =>
        Assert.Equal(expected, KfamNames.BindingName(email, role));

    [Theory]
    [InlineData("By=spiffe://cluster.local/ns/extauthz/sa/extauthz;Hash=abc;URI=spiffe://cluster.local/ns/kubeflow/sa/dashboard", "cluster.local/ns/kubeflow/sa/dashboard")]
    [InlineData("URI=spiffe://cluster.local/ns/kubeflow/sa/dashboard,By=x;URI=spiffe://cluster.local/ns/alice/sa/default-editor", "cluster.local/ns/alice/sa/default-editor")]
    [InlineData("By=x;Subject=\"CN=a,O=b\";URI=spiffe://cluster.local/ns/kubeflow/sa/centraldashboard", "cluster.local/ns/kubeflow/sa/centraldashboard")]
    [InlineData("URI=\"spiffe://cluster.local/ns/kubeflow/sa/dashboard\"", "cluster.local/ns/kubeflow/sa/dashboard")]
    [InlineData("By=x;Hash=abc", null)]
    [InlineData("URI=https://cluster.local/ns/kubeflow/sa/dashboard", null)]
    [InlineData("URI=spiffe://", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void LastPeer_Header_ReadsOnlyTheLastElement(string? header, string? expected) =>
        Assert.Equal(expected, ForwardedClientCert.LastPeer(header));
}
