using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Operations;
using ExtAuthz.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>A real server for operations tests: a fake authenticator, the decision log captured, helpers to call it.</summary>
internal sealed class OpsServer : IAsyncDisposable
{
    private OpsServer(ServerInstance server, CapturedOutput audit)
    {
        Server = server;
        Audit = audit;
        Client = new Authorization.AuthorizationClient(server.Channel);
    }

    public ServerInstance Server { get; }

    public CapturedOutput Audit { get; }

    public Authorization.AuthorizationClient Client { get; }

    /// <param name="authenticator">Replaces the configured issuers; null keeps them (the development issuer, say).</param>
    public static Task<OpsServer> StartAsync(FakeAuthenticator? authenticator, params string[] args) => StartAsync(authenticator, null, args);

    /// <param name="log">Receives the service's own log lines (not the decision log).</param>
    public static async Task<OpsServer> StartAsync(FakeAuthenticator? authenticator, CapturedOutput? log, params string[] args)
    {
        var audit = new CapturedOutput();
        var server = await ServerInstance.StartAsync(args, builder => builder.Host.UseServiceProviderFactory(
            new OverridingServiceProviderFactory(services =>
            {
                if (authenticator is not null)
                {
                    services.AddSingleton<IAuthenticator>(authenticator);
                }

                services.AddSingleton(new AuditOutput(audit));
                if (log is not null)
                {
                    services.AddSingleton(sp => new LogSink(log, 1 << 20, sp.GetRequiredService<OperationsMetrics>()));
                }
            })));
        return new OpsServer(server, audit);
    }

    public async Task<CheckResponse> CheckAsync(string path, string? token = null, string method = "GET", params (string Name, string Value)[] headers)
    {
        var all = headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList();
        if (token is not null)
        {
            all.Add(KeyValuePair.Create("authorization", $"Bearer {token}"));
        }

        return await Client.CheckAsync(Requests.Istio(method, path, headers: all));
    }

    /// <summary>A token from the development issuer (the server must run with it on).</summary>
    public async Task<string> MintAsync(string user) => await ExtAuthz.Cli.DevTokens.MintAsync($"http://127.0.0.1:{Server.HttpPort}", user, []);

    public async Task<string> ScrapeAsync() => await Server.Http.GetStringAsync("/metrics");

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
