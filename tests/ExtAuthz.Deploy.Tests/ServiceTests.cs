using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

public sealed class ServiceTests
{
    public static TheoryData<string> Deployments => Layout.DeploymentData();

    private static YamlNode Port(KubeObject service, int number) =>
        Assert.Single(service.Items("spec.ports"), p => p.Int("port") == number);

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Ports_Service_NamesGrpcAndOps(string folder)
    {
        var service = Kubectl.Kustomize(folder).Single("Service", "extauthz");

        var grpc = Port(service, 9000);
        Assert.Equal("grpc", grpc.Str("name"));
        Assert.Equal("grpc", grpc.Str("appProtocol"));
        var ops = Port(service, Layout.OpsPort);
        Assert.Equal("http-ops", ops.Str("name"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Ports_Service_TargetContainerPorts(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);
        var service = rendering.Single("Service", "extauthz");
        var containerPorts = Assert.Single(rendering.ExtAuthzDeployment().Items("spec.template.spec.containers"))
            .Items("ports")
            .ToDictionary(p => p.Str("name") ?? "", p => p.Int("containerPort"));

        Assert.Equal(9000, containerPorts[Port(service, 9000).Str("targetPort")!]);
        Assert.Equal(Layout.OpsPort, containerPorts[Port(service, Layout.OpsPort).Str("targetPort")!]);
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Selector_Service_SelectsExtAuthzPods(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);
        var service = rendering.Single("Service", "extauthz");

        Assert.Equal(rendering.ExtAuthzDeployment().Namespace, service.Namespace);
        Assert.NotEmpty(service.Root.Labels("spec.selector"));
        Assert.True(Yaml.Selects(service.Root.Labels("spec.selector"), rendering.ExtAuthzPodLabels()));
    }
}
