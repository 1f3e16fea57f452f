using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class RefererProxyTests
{
    private const int App = 3;
    private const string Referer = "https://kf.example.com/pipeline/apis/v1beta1/_proxy/svc.bob.svc.cluster.local:80/";
    private const string Proxy = "https://kf.example.com/pipeline/apis/v1beta1/_proxy/";

    [Theory]
    [InlineData("/pipeline/x", -1, "Found")]
    [InlineData("/pipeline", -1, "Found")]
    [InlineData("/pipelinex/a", -1, "None")]
    [InlineData("/x", -1, "None")]
    [InlineData("/x", App, "Found")]
    [InlineData("/pipeline/x", App, "Found")]
    [InlineData("/pipeline/x", 0, "None")]
    [InlineData("/pipeline/x", 5, "None")]
    public void Read_OnlyARequestThatReachesTheApp(string path, int destinationApp, string outcome) =>
        Assert.Equal(outcome, Read(Referer, path, destinationApp).Outcome.ToString());

    [Fact]
    public void Read_WithoutReferer_None() =>
        Assert.Equal(NamespaceOutcome.None, Read(null, "/pipeline/x", -1).Outcome);

    [Theory]
    [InlineData(Proxy + "svc.bob.svc.cluster.local:80/tensorboard/viewer-1/", "Found", "bob")]
    [InlineData(Proxy + "svc.bob.svc.cluster.local", "Found", "bob")]
    [InlineData(Proxy + "svc.bob.svc?x=1", "Found", "bob")]
    [InlineData(Proxy + "svc.bob.svc#x", "Found", "bob")]
    [InlineData("/_proxy/svc.bob.svc.cluster.local/", "Found", "bob")]
    [InlineData(Proxy + "http%3A%2F%2Fsvc.bob.svc.cluster.local%3A80/", "Found", "bob")]
    [InlineData(Proxy + "HTTP%3A%2F%2Fsvc.bob.svc.cluster.local/", "Found", "bob")]
    [InlineData("https://kf.example.com/pipeline/#/runs", "None", null)]
    [InlineData(Proxy + "/svc.bob.svc.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "svc/x.bob.svc.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "http%3A%2F%2F.bob.svc.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "%2Esvc.bob.svc.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "%zz.bob.svc/", "Invalid", "")]
    [InlineData(Proxy + ".bob.svc.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "svc..svc.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "svc.bob/", "Invalid", "")]
    [InlineData(Proxy + "svc.bob.cluster.local/", "Invalid", "")]
    [InlineData(Proxy + "evil.example.org/", "Invalid", "")]
    [InlineData(Proxy + "svc.Bob.svc.cluster.local/", "Invalid", "Bob")]
    public void Read_ProxiedHost_ItsSecondLabel(string referer, string outcome, string? ns)
    {
        var result = Read(referer, "/pipeline/x", -1);

        Assert.Equal(outcome, result.Outcome.ToString());
        Assert.Equal(ns, ns is null ? null : result.Value.ToString());
        Assert.Equal(ns is null ? null : "ui Referer /_proxy/", result.Rule);
        Assert.Equal(ns is null ? NamespaceSource.None : NamespaceSource.Host, result.Source);
    }

    [Theory]
    [InlineData("%73vc.bob.svc.", 256, "Found")]
    [InlineData("%73vc.bob.svc.", 257, "Invalid")]
    [InlineData("svc.bob.svc.", 300, "Found")]
    public void Read_HostAtTheLengthLimit_OnlyAnEncodedOneDecodedUpToIt(string start, int length, string outcome)
    {
        var result = Read(Proxy + start + new string('a', length - start.Length) + "/", "/pipeline/x", -1);

        Assert.Equal(outcome, result.Outcome.ToString());
    }

    private static NamespaceCandidate Read(string? referer, string path, int destinationApp)
    {
        var app = new CatalogueApp { Name = "ui", File = "test", Framework = Framework.Express, GatewayMount = "/pipeline", RefererProxy = "/_proxy/" };
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = path };
        if (referer is not null)
        {
            input.AddHeader(HeaderSlots.Referer, referer);
        }

        return new RefererProxy(app, App).Read(input, path, destinationApp);
    }
}
