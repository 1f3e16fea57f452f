using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Login;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.SelfService;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Builds the service: validated options, Kestrel with an h2c gRPC port and an HTTP/1.1 ops port, the Check
/// and health services, and the ops endpoints. An invalid configuration never starts: every problem is listed.
/// </summary>
public static class ExtAuthzHost
{
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>A configured port is held by another process: a configuration problem too, said in one line.</summary>
    public const int PortInUseExitCode = 2;

    /// <summary>Runs until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var built = Build(args);
        if (built.App is null)
        {
            return await RefuseAsync(built.Errors);
        }

        // Checked here, where the process's own environment is the one that counts (a test host brings its own API server).
        if (built.App.Services.GetRequiredService<ExtAuthzOptions>().Policy.Source == "Kubernetes"
            && built.App.Services.GetRequiredService<KubernetesConnection>() == KubernetesConnection.Default
            && KubernetesConnection.NoCluster() is { } noCluster)
        {
            return await RefuseAsync([noCluster]);
        }

        var server = built.App.Services.GetRequiredService<ServerOptions>();
        if (PortCheck.FirstInUse(server) is { } inUse)
        {
            await Console.Error.WriteLineAsync(inUse);
            return PortInUseExitCode;
        }

        try
        {
            await built.App.RunAsync();
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Taken between the check above and Kestrel's bind.
            await Console.Error.WriteLineAsync(PortCheck.Describe(server, ex));
            return PortInUseExitCode;
        }

        return 0;
    }

    private static async Task<int> RefuseAsync(IEnumerable<string> errors)
    {
        await Console.Error.WriteLineAsync("Invalid configuration:");
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync(error);
        }

        return InvalidConfigurationExitCode;
    }

    /// <summary>Builds the application, or returns every configuration problem.</summary>
    public static (WebApplication? App, IReadOnlyList<string> Errors) Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Options are read and validated once, at start; a changed appsettings.json takes a restart. So the content root
        // is not watched: that watch puts an inotify watch on every folder below it and wakes a thread on every write
        // there (a log file beside the binary, say). Given first, so a later argument can still turn it back on.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        AddDefaultLogLevels(builder.Configuration);
        UseLogSink(builder);
        configure?.Invoke(builder);

        var errors = new List<string>();
        var options = OptionsLoader.Load(builder.Configuration, errors);
        errors.AddRange(ConfigValidator.Validate(options));
        var logging = LogSettings.Read(builder.Configuration, errors);
        if (errors.Count > 0)
        {
            return (null, [.. errors.Select(UrlRedaction.Redact)]);
        }

        builder.Services.AddSingleton(logging);

        ConfigureKestrel(builder, options);
        ConfigureServices(builder.Services, options);

        var app = builder.Build();
        MapEndpoints(app);
        RegisterDrain(app);
        app.StartLogin();
        var warnings = app.Services.GetRequiredService<StartWarnings>();
        app.Lifetime.ApplicationStarted.Register(() => warnings.Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExtAuthz.Hosting")));
        return (app, errors);
    }

    /// <summary>
    /// ASP.NET Core logs every request at Information: on a service called for every request of the mesh that
    /// alone doubled the CPU per Check (BENCHMARKS.md). With hosting diagnostics enabled at any level, it also starts
    /// an Activity and a log scope per request. These defaults sit below every other configuration source, so
    /// <c>Logging__LogLevel__Microsoft.AspNetCore=Information</c> still turns them back on.
    /// </summary>
    private static void AddDefaultLogLevels(ConfigurationManager configuration)
    {
        var defaults = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",

                // The gRPC framework logs a bad frame twice, with a stack trace each time; ours is one folded line.
                ["Logging:LogLevel:Grpc"] = "Warning",
            },
        };
        ((IConfigurationBuilder)configuration).Sources.Insert(0, defaults);
    }

    /// <summary>
    /// The console logger waits when its queue is full, so a stalled stdout would hold up the request that logs. Every
    /// line goes through the shared <see cref="LogSink"/> instead, which drops and counts. Registered before a test's
    /// own configuration, which may clear it.
    /// </summary>
    private static void UseLogSink(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(sp => new LogSink(
            Console.OpenStandardOutput(), sp.GetRequiredService<LogSettings>().QueueBytes, sp.GetRequiredService<OperationsMetrics>()));
        builder.Services.AddSingleton<ILoggerProvider, SinkLoggerProvider>();
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, ExtAuthzOptions options)
    {
        var server = options.Server;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.KeepAliveTimeout = server.KeepAliveTimeout;
            kestrel.Limits.Http2.MaxStreamsPerConnection = server.MaxConcurrentStreams;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.MaxValue;
            kestrel.ListenAnyIP(server.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                Listener.Grpc.Mark(listen);
            });
            kestrel.ListenAnyIP(server.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                Listener.Ops.Mark(listen);
                listen.Use(listen.ApplicationServices.GetRequiredService<OpsConnections>().Guard);
            });
            if (options.SelfService.Enabled)
            {
                kestrel.ListenAnyIP(server.ApiPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    Listener.Api.Mark(listen);
                });
            }
        });
    }

    private static void ConfigureServices(IServiceCollection services, ExtAuthzOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(new StartWarnings(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.Server.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        });

        services.AddIdentity(options);
        services.AddAccess(options);
        services.AddOperations(options);
        services.AddSelfService(options);

        services.AddLogin(options);
        services.AddSingleton(new HeaderSlots(IdentityRegistration.TokenHeaders(options).Concat(LoginRuntime.Headers(options))));
        services.AddSingleton<CheckResponseWriter>();
        services.AddSingleton<CheckHandler>();
        services.AddCheckServices(options.Server);
        services.AddSingleton(options.Server);
        services.AddSingleton<ReadinessState>();
        services.AddSingleton<HealthWatchers>();
        services.AddSingleton<OpsConnections>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerMatcherPolicy>());
        services.AddSingleton<IReadinessContributor, AccessIndexReadiness>();
        services.AddSingleton<CheckWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckWarmUp>());
        services.AddSingleton<IReadinessContributor>(sp => sp.GetRequiredService<CheckWarmUp>());
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Server.ShutdownDrain);
    }

    private static void MapEndpoints(WebApplication app)
    {
        var server = app.Services.GetRequiredService<ServerOptions>();
        app.UseCheckCalls(server);

        // Each listener serves only its own endpoints, told apart by the connection, never by the authority.
        foreach (var service in app.MapCheckServices(server))
        {
            service.OnListener(Listener.Grpc);
        }

        app.MapGrpcService<HealthService>().OnListener(Listener.Grpc);

        var ops = app.MapGroup("").OnListener(Listener.Ops);
        ops.MapOps();
        ops.MapOperations();
        app.MapIdentity(ops);
        app.MapSelfService();
    }

    /// <summary>On shutdown, readiness drops first; Kestrel then lets in-flight Checks finish.</summary>
    private static void RegisterDrain(WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        app.Lifetime.ApplicationStopping.Register(readiness.BeginDrain);
    }
}
