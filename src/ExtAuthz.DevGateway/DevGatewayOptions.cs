namespace ExtAuthz.DevGateway;

/// <summary>The <c>DevGateway</c> configuration section.</summary>
internal sealed class DevGatewayOptions
{
    public const string Section = "DevGateway";

    /// <summary>Loopback port the gateway listens on.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Loopback port of the built-in echo app (the default upstream).</summary>
    public int EchoPort { get; set; } = 8001;

    /// <summary>The ExtAuthz gRPC (h2c) address Check is called on.</summary>
    public string CheckAddress { get; set; } = "http://127.0.0.1:9000";

    /// <summary>The <c>:authority</c> written on Check calls: Istio's ext_authz cluster name, as Envoy sends it.</summary>
    public string CheckAuthority { get; set; } = "outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local";

    /// <summary>Deadline of one Check call.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Status answered when Check fails or times out (Envoy's <c>status_on_error</c>; our Istio overlays use 503).</summary>
    public int StatusOnError { get; set; } = 503;

    /// <summary>Where allowed requests go; empty = the built-in echo app on <see cref="EchoPort"/>.</summary>
    public string Upstream { get; set; } = "";

    public string UpstreamOrEcho => string.IsNullOrEmpty(Upstream) ? $"http://127.0.0.1:{EchoPort}" : Upstream;

    /// <summary>Every problem with these values, one line each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"DevGateway:Port must be 0..65535, not {Port}");
        }

        if (EchoPort is < 0 or > 65535)
        {
            errors.Add($"DevGateway:EchoPort must be 0..65535, not {EchoPort}");
        }

        if (!Uri.TryCreate(CheckAddress, UriKind.Absolute, out var check) || check.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"DevGateway:CheckAddress must be an http:// (h2c) address, not '{CheckAddress}'");
        }

        if (string.IsNullOrWhiteSpace(CheckAuthority) || CheckAuthority.Any(c => c <= ' ' || c >= 0x7f))
        {
            errors.Add($"DevGateway:CheckAuthority must be a host name without spaces, not '{CheckAuthority}'");
        }

        if (StatusOnError is < 100 or > 599)
        {
            errors.Add($"DevGateway:StatusOnError must be an HTTP status 100..599, not {StatusOnError}");
        }

        if (CheckTimeout <= TimeSpan.Zero)
        {
            errors.Add($"DevGateway:CheckTimeout must be positive, not {CheckTimeout}");
        }

        if (!string.IsNullOrEmpty(Upstream) && !(Uri.TryCreate(Upstream, UriKind.Absolute, out var upstream) && upstream.Scheme is "http" or "https"))
        {
            errors.Add($"DevGateway:Upstream must be an absolute http(s) URL, not '{Upstream}'");
        }

        return errors;
    }
}
