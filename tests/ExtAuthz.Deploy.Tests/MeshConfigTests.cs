using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>The <c>extauthz</c> extension provider, shipped for istioctl and for the istiod Helm chart.</summary>
public sealed partial class MeshConfigTests
{
    public static TheoryData<string, string> MeshFiles => new()
    {
        { "istio/mesh/istio-operator.yaml", "spec.meshConfig" },
        { "istio/mesh/istiod-values.yaml", "meshConfig" },
    };

    private static YamlNode Provider(string file, string meshConfigPath)
    {
        var root = Yaml.LoadFile(file);
        var provider = Assert.Single(root.Items($"{meshConfigPath}.extensionProviders"), p => p.Str("name") == Layout.ProviderName);
        return provider.At("envoyExtAuthzGrpc") ?? throw new Xunit.Sdk.XunitException($"{file}: the provider is not envoyExtAuthzGrpc");
    }

    [GeneratedRegex(@"^(?<seconds>[0-9]+(\.[0-9]+)?)s$")]
    private static partial Regex DurationPattern();

    [Theory]
    [MemberData(nameof(MeshFiles))]
    public void Provider_Timeout_IsExplicitAndShort(string file, string meshConfigPath)
    {
        var timeout = Provider(file, meshConfigPath).Str("timeout");

        Assert.NotNull(timeout);
        var match = DurationPattern().Match(timeout);
        Assert.True(match.Success, $"{file}: timeout '{timeout}' is not a duration in seconds such as 0.5s");
        var seconds = double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 0.05, 1.0);
    }

    [Theory]
    [MemberData(nameof(MeshFiles))]
    public void Provider_Failure_ClosesWith503(string file, string meshConfigPath)
    {
        var provider = Provider(file, meshConfigPath);
        var statusOnError = Assert.IsType<YamlScalarNode>(provider.At("statusOnError"));

        Assert.Equal("false", provider.Str("failOpen"));
        Assert.Equal("503", statusOnError.Value);
        // MeshConfig declares statusOnError as a string: an unquoted 503 is a number and fails to load.
        Assert.Contains(statusOnError.Style, new[] { ScalarStyle.DoubleQuoted, ScalarStyle.SingleQuoted });
    }

    [Theory]
    [MemberData(nameof(MeshFiles))]
    public void Provider_Service_IsTheRenderedGrpcPort(string file, string meshConfigPath)
    {
        var service = Kubectl.Kustomize("istio/base").Single("Service");
        var grpcPort = Assert.Single(service.Items("spec.ports"), p => p.Str("name") == "grpc");
        var provider = Provider(file, meshConfigPath);

        Assert.Equal($"{service.Name}.{service.Namespace}.svc.cluster.local", provider.Str("service"));
        Assert.Equal(grpcPort.Str("port"), provider.Str("port"));
    }

    [Fact]
    public void Provider_OperatorAndHelmValues_Agree()
    {
        static IReadOnlyDictionary<string, string> Fields(YamlNode provider) =>
            ((YamlMappingNode)provider).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());

        var operatorFile = Fields(Provider("istio/mesh/istio-operator.yaml", "spec.meshConfig"));
        var helmValues = Fields(Provider("istio/mesh/istiod-values.yaml", "meshConfig"));

        Assert.Equal(operatorFile.OrderBy(kv => kv.Key, StringComparer.Ordinal), helmValues.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Provider_IstioOperator_IsAnIstioOperator()
    {
        var root = Yaml.LoadFile("istio/mesh/istio-operator.yaml");

        Assert.Equal("install.istio.io/v1alpha1", root.Str("apiVersion"));
        Assert.Equal("IstioOperator", root.Str("kind"));
    }
}
