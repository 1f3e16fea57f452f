using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class RouteSelectionTests
{
    private const string JupyterWebApp = "spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app-service-account";
    private const string Dashboard = "spiffe://cluster.local/ns/kubeflow/sa/centraldashboard";
    private static readonly RouteTable s_table = new(RouteCatalogue.Default.Apps);
    private static readonly Profiles s_profiles = new("alice", "bob");

    [Theory]
    // The gateway: every gateway route, and the workload forms that read a namespace.
    [InlineData("", "/jupyter/api/config", "Matched jupyter-web-app /jupyter/api/config")]
    [InlineData("", "/api/namespaces/alice/notebooks", "Matched jupyter-web-app /api/namespaces/{ns}/notebooks")]
    // A workload of a profile namespace: only the apps that run there.
    [InlineData("profile", "/notebook/alice/nb/", "Matched notebooks /notebook/{ns}/{name}/**")]
    [InlineData("profile", "/api/namespaces/bob/notebooks", "Unknown")]
    [InlineData("profile", "/tensorboard/bob/tb/", "Unknown")]
    // An app's own sidecar: its workload routes only.
    [InlineData(JupyterWebApp, "/api/namespaces/bob/notebooks", "Matched jupyter-web-app /api/namespaces/{ns}/notebooks")]
    [InlineData(JupyterWebApp, "/jupyter/api/namespaces/bob/notebooks", "Matched jupyter-web-app /**")]
    [InlineData(JupyterWebApp, "/api/activities/bob", "UnknownUnderApp")]
    [InlineData(Dashboard, "/api/activities/bob", "Matched central-dashboard /api/activities/{ns}")]
    [InlineData(Dashboard, "/api/namespaces/bob/notebooks", "UnknownUnderApp")]
    public void Allows_RoutesOfTheDestination(string destination, string path, string expected)
    {
        var selection = destination switch
        {
            "" => RouteSelection.Gateway,
            "profile" => RouteSelection.ProfileNamespace,
            _ => RouteSelection.ForApp(s_table.AppOf(destination)),
        };

        var result = s_table.Resolve(PathNormalizer.Normalize(path), "GET", selection, s_profiles);

        Assert.Equal(expected, result.Route is { } route ? $"{result.Outcome} {route.Text}" : result.Outcome.ToString());
    }

    [Theory]
    [InlineData(true, true, false, "/w", true)]
    [InlineData(true, true, true, "/w", false)]
    [InlineData(true, false, false, "/w", false)]
    [InlineData(true, true, false, "", false)]
    [InlineData(true, true, false, null, false)]
    [InlineData(false, true, true, "/w", true)]
    [InlineData(false, false, true, "/w", true)]
    [InlineData(false, true, false, "/w", false)]
    public void Closes_GatewayScopesOrAProfileAppsOwnWorkloadMount(bool profileDestination, bool profileApp, bool atGateway, string? workloadMount, bool expected)
    {
        var app = new CatalogueApp { Name = "a", File = "test", Framework = Framework.Exact, GatewayMount = "/g", WorkloadMount = workloadMount, ProfileWorkload = profileApp };
        var scope = new ClosedScope(app, 0, atGateway ? "/g" : workloadMount ?? string.Empty, RouteTemplate.Parse("/"), atGateway);
        var selection = profileDestination ? RouteSelection.ProfileNamespace : RouteSelection.Gateway;

        Assert.Equal(expected, selection.Closes(scope));
    }
}
