using Envoy.Service.Auth.V3;
using ExtAuthz.Cli;
using Grpc.Core;
using Grpc.Net.Client;

namespace ExtAuthz.DevGateway;

/// <summary>
/// Calls Check over h2c with a deadline, on one channel for the gateway's lifetime, writing the <c>:authority</c>
/// Envoy writes in the mesh (Istio's cluster name, which .NET's URI parser refuses: <see cref="FixedAuthority"/>).
/// </summary>
internal sealed class CheckClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Authorization.AuthorizationClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public CheckClient(DevGatewayOptions options, TimeProvider time)
    {
        var (handler, address) = FixedAuthority.For(new Uri(options.CheckAddress), options.CheckAuthority);
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new Authorization.AuthorizationClient(_channel);
        _timeout = options.CheckTimeout;
        _time = time;
    }

    /// <summary>The answer, or null with the reason when the RPC failed (Envoy's <c>CheckStatus::Error</c>).</summary>
    public async Task<(CheckResponse? Response, string Error)> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var deadline = _time.GetUtcNow().UtcDateTime + _timeout;
            return (await _client.CheckAsync(request, deadline: deadline, cancellationToken: cancellationToken), "");
        }
        catch (RpcException e)
        {
            return (null, $"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    public void Dispose() => _channel.Dispose();
}
