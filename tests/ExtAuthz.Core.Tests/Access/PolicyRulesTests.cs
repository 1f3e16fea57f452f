using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Tests.Access;

public sealed class PolicyRulesTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();

        Assert.Empty(ConfigValidator.Validate(options));
        Assert.Single(options.Policy.ServiceCallers);
    }

    [Theory]
    [InlineData("Policy:Roles:Edit: ' ' is not a ClusterRole name")]
    [InlineData("Policy:ServiceCallers:0:Principal: 'kubeflow/notebook-controller' is not a workload principal such as cluster.local/ns/kubeflow/sa/name")]
    [InlineData("Policy:ServiceCallers:0:Methods:0: 'get' is not an upper-case HTTP method")]
    [InlineData("Policy:ServiceCallers:0:Paths:0: 'api/*/x' is not an Istio path (exact /a/b, prefix /a/*, suffix */b, or *)")]
    [InlineData("Policy:NamespaceRules:0: '/myapp/' must contain exactly one {ns} segment")]
    [InlineData("Policy:Kubernetes:PageSize: 0 is not between 1 and 10000")]
    [InlineData("Policy:Kubernetes:ProfileVersion: 'v2' is not one of v1, v1beta1")]
    [InlineData("Policy:DirectoryDebounce: 00:00:00 must be positive")]
    [InlineData("Policy:UnknownRoutes: 'Allow' is not one of Authenticated, Deny")]
    [InlineData("Policy:InferenceHostTemplates:0: '{name}.{namespace}' must end with .{domain}, e.g. {name}.{namespace}.{domain}")]
    [InlineData("Policy:InferenceHostTemplates:1: '{name}.{domain}' must hold {namespace} once, {name} at most once, and literal DNS characters")]
    [InlineData("Policy:DashboardHosts:0: 'https://kubeflow.example.com/' is not a host name such as kubeflow.example.com")]
    [InlineData("Policy:RouteCatalogues:0: '/nonexistent/routes.yaml' cannot be read: Could not find a part of the path '/nonexistent/routes.yaml'.")]
    public void Validate_EachBadKey_OneLine(string expected)
    {
        var options = new ExtAuthzOptions();
        options.Policy.Roles.Edit = " ";
        options.Policy.ServiceCallers = [new() { Principal = "kubeflow/notebook-controller", Methods = ["get"], Paths = ["api/*/x"] }];
        options.Policy.NamespaceRules = ["/myapp/"];
        options.Policy.Kubernetes.PageSize = 0;
        options.Policy.Kubernetes.ProfileVersion = "v2";
        options.Policy.DirectoryDebounce = TimeSpan.Zero;
        options.Policy.UnknownRoutes = "Allow";
        options.Policy.InferenceHostTemplates = ["{name}.{namespace}", "{name}.{domain}"];
        options.Policy.DashboardHosts = ["https://kubeflow.example.com/"];
        options.Policy.RouteCatalogues = ["/nonexistent/routes.yaml"];
        options.ApplyDefaults();

        Assert.Contains(expected, ConfigValidator.Validate(options));
    }

    [Fact]
    public void Validate_SameClusterRoleForTwoRoles_IsAnError()
    {
        var options = new ExtAuthzOptions();
        options.Policy.Roles.View = "kubeflow-edit";
        options.ApplyDefaults();

        Assert.Contains("Policy:Roles: Admin, Edit and View must name three different ClusterRoles", ConfigValidator.Validate(options));
    }
}
