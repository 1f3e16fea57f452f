using Envoy.Service.Auth.V3;
using Envoy.Type.V3;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>Envoy's local reply for a deny (envoy-ext-authz.md §3.2): status, remove-then-add headers, body.</summary>
public sealed class DeniedResponseWriterTests
{
    [Theory]
    [InlineData(StatusCode.Empty, 403)]
    [InlineData(StatusCode.Unauthorized, 401)]
    [InlineData(StatusCode.Found, 302)]
    [InlineData(StatusCode.Ok, 200)]
    public async Task WriteDenied_Status_ZeroMeans403(StatusCode code, int expected)
    {
        var response = Response();

        await DeniedResponseWriter.WriteDeniedAsync(new DeniedHttpResponse { Status = new HttpStatus { Code = code } }, response);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task WriteDenied_NoStatusAtAll_Is403()
    {
        var response = Response();

        await DeniedResponseWriter.WriteDeniedAsync(new DeniedHttpResponse(), response);

        Assert.Equal(403, response.StatusCode);
    }

    [Fact]
    public async Task WriteDenied_Headers_RemovedThenAddedSoSeveralSetCookieSurvive()
    {
        var response = Response();
        response.Headers["x-extauthz-dev-gateway"] = "not-for-production";
        response.Headers["set-cookie"] = "stale=1";
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = StatusCode.Found },
            Headers =
            {
                OkResponseApplierTests.Option("location", "/oauth2/start", "unset"),
                OkResponseApplierTests.Option("set-cookie", "a=1", "false"),
                OkResponseApplierTests.Option("set-cookie", "b=2", "unset"),
                OkResponseApplierTests.Option("x-ignored", "1", "true"),
            },
        };

        await DeniedResponseWriter.WriteDeniedAsync(denied, response);

        Assert.Equal("a=1|b=2", string.Join('|', response.Headers.SetCookie.ToArray()));
        Assert.Equal("/oauth2/start", response.Headers.Location.ToString());
        Assert.False(response.Headers.ContainsKey("x-ignored"));
        Assert.Equal("not-for-production", response.Headers["x-extauthz-dev-gateway"].ToString());
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData("denied", null, "text/plain")]
    [InlineData("{\"error\":\"forbidden\"}", "application/json", "application/json")]
    public async Task WriteDenied_Body_WrittenWithItsContentType(string body, string? contentType, string? expected)
    {
        var response = Response();
        var denied = new DeniedHttpResponse { Body = body };
        if (contentType is not null)
        {
            denied.Headers.Add(OkResponseApplierTests.Option("content-type", contentType, "false"));
        }

        await DeniedResponseWriter.WriteDeniedAsync(denied, response);

        Assert.Equal(expected, response.ContentType);
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray()));
        Assert.Equal(body.Length, response.ContentLength);
    }

    private static HttpResponse Response()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        return context.Response;
    }
}
