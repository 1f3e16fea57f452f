using ExtAuthz.Controller.Hosting;

namespace ExtAuthz.Controller.Tests.Hosting;

public sealed class OptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors() => Assert.Empty(ControllerOptionsValidator.Validate(new ControllerOptions()));

    [Fact]
    public void Validate_ManyProblems_ListsEveryOne()
    {
        var options = new ControllerOptions
        {
            FieldManager = "",
            ProfileVersion = "v2",
            Workers = 0,
            MeshMode = "Ambient",
            RevokeAttempts = 0,
            NamespaceLabelsFile = "/does/not/exist.yaml",
            LeaderElection = { RenewDeadline = TimeSpan.FromSeconds(30) },
            WorkloadIdentity = { IamEndpoint = "iam" },
        };

        var errors = ControllerOptionsValidator.Validate(options);

        Assert.Equal(8, errors.Count);
        foreach (var key in new[] { "FieldManager", "ProfileVersion", "Workers", "MeshMode", "RevokeAttempts", "NamespaceLabelsFile", "LeaderElection", "IamEndpoint" })
        {
            Assert.Contains(errors, e => e.Contains(key, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("cluster.local/ns/kubeflow/sa/ml-pipeline-ui", true)]
    [InlineData("cluster.local/ns/kubeflow/ml-pipeline-ui", false)]
    [InlineData("", false)]
    public void Validate_CompatibilityPrincipal_MustBeASpiffePath(string principal, bool valid)
    {
        var options = new ControllerOptions { MeshMode = "Compatibility", KfpUiPrincipal = principal };

        Assert.Equal(valid, ControllerOptionsValidator.Validate(options).Count == 0);
    }
}
