using System.Net;
using ExtAuthz.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// The end-to-end clients really write Istio's cluster-name authority (which .NET's own parsers refuse), on HTTP/2
/// as on HTTP/1.1: a server that echoes the authority it received sees exactly that name.
/// </summary>
public sealed class IstioAuthorityTests
{
    [Theory]
    [InlineData(HttpProtocols.Http2)]
    [InlineData(HttpProtocols.Http1)]
    public async Task Http_IstioAuthority_ArrivesAsWritten(HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        await using var echo = builder.Build();
        echo.MapGet("/", (HttpContext context) => context.Request.Host.Value ?? "");
        await echo.StartAsync();
        var address = echo.Urls.Single();

        using var http = IstioAuthority.Http(address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/")
        {
            Version = protocols == HttpProtocols.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request);

        Assert.Equal(IstioAuthority.Value, await response.Content.ReadAsStringAsync());
    }
}
