using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>Envoy's allow semantics on the request and on the upstream's response (envoy-ext-authz.md §3.3, §3.5).</summary>
public sealed class OkResponseApplierTests
{
    [Theory]
    [InlineData("kubeflow-userid: mallory@example.com", "kubeflow-userid", "alice@example.com", "false", "alice@example.com")]
    [InlineData("kubeflow-userid: mallory@example.com", "kubeflow-userid", "alice@example.com", "unset", "alice@example.com")]
    [InlineData("", "kubeflow-userid", "alice@example.com", "false", "alice@example.com")]
    [InlineData("", "kubeflow-userid", "alice@example.com", "unset", "alice@example.com")]
    [InlineData("x-trace: a", "x-trace", "b", "true", "a,b")]
    [InlineData("x-trace: a|x-trace: c", "x-trace", "b", "true", "a,b|c")]
    [InlineData("", "x-trace", "b", "true", null)]
    [InlineData("X-Trace: a", "x-trace", "b", "true", "a,b")]
    public void ApplyToRequest_HeaderOption_SetsOrAppendsOnlyIfPresent(string existing, string name, string value, string append, string? expected)
    {
        var request = Request(existing);
        var ok = new OkHttpResponse { Headers = { Option(name, value, append) } };

        OkResponseApplier.ApplyToRequest(ok, request);

        Assert.Equal(expected, request.Headers.TryGetValue(name, out var values) ? string.Join('|', values.ToArray()) : null);
    }

    [Theory]
    [InlineData("kubeflow-groups")]
    [InlineData("Kubeflow-Groups")]
    [InlineData("x-goog-authenticated-user-email")]
    public void ApplyToRequest_HeadersToRemove_Removes(string name)
    {
        var request = Request("kubeflow-groups: admins|x-goog-authenticated-user-email: a@example.com");
        var ok = new OkHttpResponse { HeadersToRemove = { name } };

        OkResponseApplier.ApplyToRequest(ok, request);

        Assert.False(request.Headers.ContainsKey(name));
        Assert.Single(request.Headers, h => h.Key != "Host");
    }

    [Theory]
    [InlineData("host")]
    [InlineData("Host")]
    [InlineData(":authority")]
    [InlineData(":path")]
    [InlineData(":method")]
    public void ApplyToRequest_HeadersToRemovePseudoOrHost_Ignored(string name)
    {
        var request = Request("kubeflow-groups: admins");
        var ok = new OkHttpResponse { HeadersToRemove = { name } };

        OkResponseApplier.ApplyToRequest(ok, request);

        Assert.Equal("GET kubeflow.example.com/notebook/alice/nb/ 2", $"{request.Method} {request.Host}{request.Path} {request.Headers.Count}");
    }

    [Fact]
    public void ApplyToRequest_SetThenRemoveSameHeader_RemoveWins()
    {
        var request = Request("kubeflow-userid: mallory@example.com");
        var ok = new OkHttpResponse { Headers = { Option("kubeflow-userid", "alice@example.com", "false") }, HeadersToRemove = { "kubeflow-userid" } };

        OkResponseApplier.ApplyToRequest(ok, request);

        Assert.False(request.Headers.ContainsKey("kubeflow-userid"));
    }

    [Theory]
    [InlineData(":path", "/other/?x=1", "GET http://kubeflow.example.com/other/?x=1")]
    [InlineData(":authority", "alice.example.com", "GET http://alice.example.com/notebook/alice/nb/")]
    [InlineData(":method", "POST", "POST http://kubeflow.example.com/notebook/alice/nb/")]
    [InlineData(":path", "/plain", "GET http://kubeflow.example.com/plain")]
    public void ApplyToRequest_SetPseudoHeader_RewritesTheRequestLine(string name, string value, string expected)
    {
        var request = Request("");
        var ok = new OkHttpResponse { Headers = { Option(name, value, "false") } };

        OkResponseApplier.ApplyToRequest(ok, request);

        Assert.Equal(expected, $"{request.Method} {request.Scheme}://{request.Host}{request.Path}{request.QueryString}");
    }

    [Theory]
    [InlineData("x-r: 1", "true", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists, "1|2")]
    [InlineData("", "true", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists, "2")]
    [InlineData("x-r: 1", "false", HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent, "2")]
    [InlineData("", "false", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists, "2")]
    [InlineData("x-r: 1", "unset", HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd, "1|2")]
    [InlineData("", "unset", HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd, "2")]
    [InlineData("x-r: 1", "unset", HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent, "1")]
    [InlineData("", "unset", HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent, "2")]
    [InlineData("x-r: 1", "unset", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd, "2")]
    [InlineData("", "unset", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd, "2")]
    [InlineData("x-r: 1", "unset", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists, "2")]
    [InlineData("", "unset", HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists, null)]
    public void ApplyToResponse_AppendOrAction_AddsSetsOrSkips(string existing, string append, HeaderValueOption.Types.HeaderAppendAction action, string? expected)
    {
        var headers = Request(existing).Headers;
        var option = Option("x-r", "2", append);
        option.AppendAction = action;

        OkResponseApplier.ApplyToResponse([option], headers);

        Assert.Equal(expected, headers.TryGetValue("x-r", out var values) ? string.Join('|', values.ToArray()) : null);
    }

    internal static HeaderValueOption Option(string name, string value, string append)
    {
        var option = new HeaderValueOption { Header = new HeaderValue { Key = name, Value = value } };
        if (append != "unset")
        {
            option.Append = bool.Parse(append);
        }

        return option;
    }

    /// <summary>A GET of /notebook/alice/nb/ on kubeflow.example.com with "name: value|name: value" headers.</summary>
    private static HttpRequest Request(string headers)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "GET";
        request.Scheme = "http";
        request.Host = new HostString("kubeflow.example.com");
        request.Path = "/notebook/alice/nb/";
        foreach (var line in headers.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            request.Headers.Append(line[..colon], line[(colon + 2)..]);
        }

        return request;
    }
}
