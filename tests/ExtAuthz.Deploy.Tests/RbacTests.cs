namespace ExtAuthz.Deploy.Tests;

public sealed class RbacTests
{
    public static TheoryData<string> Deployments => Layout.DeploymentData();

    [Theory]
    [MemberData(nameof(Deployments))]
    public void ClusterRole_Rules_ReadOnlyProfilesRoleBindingsAndNamespaces(string folder)
    {
        var role = Kubectl.Kustomize(folder).Single("ClusterRole");

        var grants = role.Items("rules")
            .SelectMany(rule =>
                from apiGroup in rule.Strings("apiGroups")
                from resource in rule.Strings("resources")
                from verb in rule.Strings("verbs")
                select $"{apiGroup}/{resource}:{verb}")
            .Order(StringComparer.Ordinal);
        var nonResourceUrls = role.Items("rules").SelectMany(rule => rule.Strings("nonResourceURLs"));
        var named = role.Items("rules").SelectMany(rule => rule.Strings("resourceNames"));

        Assert.Equal(
            [
                "/namespaces:list", "/namespaces:watch",
                "kubeflow.org/profiles:get", "kubeflow.org/profiles:list", "kubeflow.org/profiles:watch",
                "rbac.authorization.k8s.io/rolebindings:get", "rbac.authorization.k8s.io/rolebindings:list",
                "rbac.authorization.k8s.io/rolebindings:watch",
            ],
            grants);
        Assert.Empty(nonResourceUrls);
        Assert.Empty(named);
        Assert.Null(role.Root.At("aggregationRule"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void ClusterRoleBinding_Subject_IsTheDeploymentServiceAccount(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);
        var deployment = rendering.ExtAuthzDeployment();
        var binding = rendering.Single("ClusterRoleBinding");
        var subject = Assert.Single(binding.Items("subjects"));

        Assert.Equal(rendering.Single("ClusterRole").Name, binding.Str("roleRef.name"));
        Assert.Equal("ServiceAccount", subject.Str("kind"));
        Assert.Equal(deployment.Str("spec.template.spec.serviceAccountName"), subject.Str("name"));
        Assert.Equal(deployment.Namespace, subject.Str("namespace"));
        Assert.Equal(subject.Str("name"), rendering.Single("ServiceAccount").Name);
    }
}
