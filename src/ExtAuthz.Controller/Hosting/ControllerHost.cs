using System.Net;
using ExtAuthz.Controller.Ops;
using ExtAuthz.Controller.Plugins;
using ExtAuthz.Controller.Plugins.AwsIam;
using ExtAuthz.Controller.Plugins.WorkloadIdentity;
using k8s;

namespace ExtAuthz.Controller.Hosting;

/// <summary>
/// The process: reads <c>Controller</c> options (every problem listed before exit code 2), builds the runtime, serves
/// the ops port and runs the controller until shutdown.
/// </summary>
internal static class ControllerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = new ControllerOptions();
        var errors = new List<string>();
        try
        {
            builder.Configuration.GetSection("Controller").Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"Controller: {ex.InnerException?.Message ?? ex.Message}");
        }

        errors.AddRange(ControllerOptionsValidator.Validate(options));
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true));
        if (errors.Count > 0)
        {
            var log = loggers.CreateLogger("ExtAuthz.Controller");
            foreach (var error in errors)
            {
                ControllerLog.ConfigurationProblem(log, error);
            }

            return 2;
        }

        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Any, options.OpsPort));
        var connection = new Lazy<IKubernetes>(() => Connect(options));
        var time = TimeProvider.System;
        using var http = new HttpClient();
        var iam = new GcpIamClient(http, new Uri(options.WorkloadIdentity.IamEndpoint),
            new MetadataTokenSource(http, new Uri(options.WorkloadIdentity.TokenUrl), time), options.WorkloadIdentity.Timeout, time);
        var aws = new AwsCredentialSource(http, new Uri(options.AwsIam.StsEndpoint), Environment.GetEnvironmentVariable, time);
        var awsIam = new AwsIamClient(http, new Uri(options.AwsIam.IamEndpoint), aws.GetAsync, options.AwsIam.Timeout, time);
        IProfilePlugin[] plugins =
        [
            new WorkloadIdentityPlugin(iam, options.WorkloadIdentity.ClusterProject),
            new AwsIamPlugin(awsIam, options.AwsIam.OidcProviderArn, options.AwsIam.TrustPolicySizeLimit),
        ];
        using var runtime = new ControllerRuntime(options, connection, plugins, time, loggers);

        var app = builder.Build();
        app.MapControllerOps(runtime);
        await app.StartAsync();
        try
        {
            await runtime.RunAsync(app.Lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync();
        return 0;
    }

    private static k8s.Kubernetes Connect(ControllerOptions options)
    {
        var config = !string.IsNullOrEmpty(options.ApiServer)
            ? new KubernetesClientConfiguration { Host = options.ApiServer }
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        return new k8s.Kubernetes(config);
    }
}
