namespace ExtAuthz.DevGateway.Tests;

/// <summary>An invalid DevGateway configuration stops the gateway at start, naming every bad key.</summary>
public sealed class DevGatewayOptionsTests
{
    [Theory]
    [InlineData("--DevGateway:Port=70000", "DevGateway:Port")]
    [InlineData("--DevGateway:EchoPort=-1", "DevGateway:EchoPort")]
    [InlineData("--DevGateway:CheckAddress=https://127.0.0.1:9000", "DevGateway:CheckAddress")]
    [InlineData("--DevGateway:CheckAddress=127.0.0.1:9000", "DevGateway:CheckAddress")]
    [InlineData("--DevGateway:CheckAuthority=a b", "DevGateway:CheckAuthority")]
    [InlineData("--DevGateway:StatusOnError=42", "DevGateway:StatusOnError")]
    [InlineData("--DevGateway:CheckTimeout=00:00:00", "DevGateway:CheckTimeout")]
    [InlineData("--DevGateway:Upstream=/echo", "DevGateway:Upstream")]
    public void Build_InvalidValue_NamesTheKey(string argument, string key)
    {
        var (app, errors) = DevGatewayHost.Build([argument]);

        Assert.Null(app);
        Assert.StartsWith(key + " ", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Defaults_AreValid()
    {
        var options = new DevGatewayOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((8000, "http://127.0.0.1:9000", 503, "http://127.0.0.1:8001"), (options.Port, options.CheckAddress, options.StatusOnError, options.UpstreamOrEcho));
        Assert.Equal(ExtAuthz.Testing.IstioAuthority.Value, options.CheckAuthority);
    }
}
