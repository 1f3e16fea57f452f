using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Ops;
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

    /// <summary>Runs until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var built = Build(args);
        if (built.App is null)
        {
            await Console.Error.WriteLineAsync("Invalid configuration:");
            foreach (var error in built.Errors)
            {
                await Console.Error.WriteLineAsync(error);
            }

            return InvalidConfigurationExitCode;
        }

        await built.App.RunAsync();
        return 0;
    }

    /// <summary>Builds the application, or returns every configuration problem.</summary>
    public static (WebApplication? App, IReadOnlyList<string> Errors) Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Options are read and validated once, at start; a changed appsettings.json takes a restart. So the content root
        // is not watched: that watch puts an inotify watch on every folder below it and wakes a thread on every write
        // there (a log file beside the binary, say). Given first, so a later argument can still turn it back on.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        AddDefaultLogLevels(builder.Configuration);
        configure?.Invoke(builder);

        var errors = new List<string>();
        var options = OptionsLoader.Load(builder.Configuration, errors);
        errors.AddRange(ConfigValidator.Validate(options));
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        ConfigureKestrel(builder, options.Server);
        ConfigureServices(builder.Services, options);

        var app = builder.Build();
        MapEndpoints(app, options.Server);
        RegisterDrain(app);
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
            },
        };
        ((IConfigurationBuilder)configuration).Sources.Insert(0, defaults);
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, ServerOptions server)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.KeepAliveTimeout = server.KeepAliveTimeout;
            kestrel.Limits.Http2.MaxStreamsPerConnection = server.MaxConcurrentStreams;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.MaxValue;
            kestrel.ListenAnyIP(server.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.ListenAnyIP(server.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
    }

    private static void ConfigureServices(IServiceCollection services, ExtAuthzOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.Server.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        });

        services.AddIdentity(options);
        services.AddAccess(options);
        services.AddOperations(options);

        services.AddSingleton(new HeaderSlots(IdentityRegistration.TokenHeaders(options)));
        services.AddSingleton<CheckResponseWriter>();
        services.AddSingleton<CheckHandler>();
        services.AddCheckServices(options.Server);
        services.AddSingleton<ReadinessState>();
        services.AddSingleton<IReadinessContributor, AccessIndexReadiness>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Server.ShutdownDrain);
    }

    private static void MapEndpoints(WebApplication app, ServerOptions server)
    {
        // Each port serves only its own endpoints; with port 0 (tests) the ports are not known ahead, so no filter.
        var grpcHost = server.GrpcPort == 0 ? null : $"*:{server.GrpcPort}";
        var opsHost = server.HttpPort == 0 ? null : $"*:{server.HttpPort}";

        var check = app.MapCheckServices(server).ToList();
        var health = app.MapGrpcService<HealthService>();
        if (grpcHost is not null)
        {
            check.ForEach(service => service.RequireHost(grpcHost));
            health.RequireHost(grpcHost);
        }

        app.MapOps(opsHost);
        app.MapOperations(opsHost);
        app.MapIdentity(opsHost);
    }

    /// <summary>On shutdown, readiness drops first; Kestrel then lets in-flight Checks finish.</summary>
    private static void RegisterDrain(WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        app.Lifetime.ApplicationStopping.Register(readiness.BeginDrain);
    }
}
