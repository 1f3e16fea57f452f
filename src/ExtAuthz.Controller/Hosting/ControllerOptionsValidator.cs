namespace ExtAuthz.Controller.Hosting;

/// <summary>Checks <see cref="ControllerOptions"/> and reports every problem at once, each naming its key.</summary>
internal static class ControllerOptionsValidator
{
    public static List<string> Validate(ControllerOptions o)
    {
        var errors = new List<string>();
        Require(errors, !string.IsNullOrWhiteSpace(o.FieldManager), "Controller:FieldManager must not be empty");
        Require(errors, o.ProfileVersion is "v1" or "v1beta1", $"Controller:ProfileVersion must be v1 or v1beta1, not '{o.ProfileVersion}'");
        Require(errors, o.Workers is >= 1 and <= 64, $"Controller:Workers must be 1-64, not {o.Workers}");
        Require(errors, o.RetryInitial > TimeSpan.Zero, "Controller:RetryInitial must be positive");
        Require(errors, o.RetryMax >= o.RetryInitial, "Controller:RetryMax must be at least RetryInitial");
        Require(errors, o.ResyncPeriod >= TimeSpan.FromSeconds(10), "Controller:ResyncPeriod must be at least 10 s");
        Require(errors, o.MeshMode is "Authorizer" or "Compatibility" or "None", $"Controller:MeshMode must be Authorizer, Compatibility or None, not '{o.MeshMode}'");
        Require(errors, o.MeshMode != "Authorizer" || !string.IsNullOrWhiteSpace(o.AuthorizerProvider), "Controller:AuthorizerProvider must name the mesh's extension provider");
        Require(errors, o.MeshMode != "Compatibility" || !string.IsNullOrWhiteSpace(o.UserIdHeader), "Controller:UserIdHeader must not be empty in Compatibility mode");
        foreach (var (key, principal) in new[]
        {
            ("IngressGatewayPrincipal", o.IngressGatewayPrincipal), ("KfpUiPrincipal", o.KfpUiPrincipal),
            ("NotebookControllerPrincipal", o.NotebookControllerPrincipal),
        })
        {
            Require(errors, o.MeshMode != "Compatibility" || principal.Split('/') is [_, "ns", { Length: > 0 }, "sa", { Length: > 0 }],
                $"Controller:{key} must look like <trust-domain>/ns/<namespace>/sa/<account>, not '{principal}'");
        }

        Require(errors, o.NamespaceLabelsFile is null || o.NamespaceLabelsFile.Length == 0 || File.Exists(o.NamespaceLabelsFile),
            $"Controller:NamespaceLabelsFile '{o.NamespaceLabelsFile}' does not exist");
        Require(errors, o.RevokeAttempts is >= 1 and <= 100, $"Controller:RevokeAttempts must be 1-100, not {o.RevokeAttempts}");
        Require(errors, o.OpsPort is > 0 and < 65536, $"Controller:OpsPort must be a port number, not {o.OpsPort}");
        var lease = o.LeaderElection;
        if (lease.Enabled)
        {
            Require(errors, !string.IsNullOrWhiteSpace(lease.Namespace), "Controller:LeaderElection:Namespace must not be empty");
            Require(errors, !string.IsNullOrWhiteSpace(lease.LeaseName), "Controller:LeaderElection:LeaseName must not be empty");
            Require(errors, lease.RetryPeriod > TimeSpan.Zero && lease.RetryPeriod < lease.RenewDeadline && lease.RenewDeadline < lease.LeaseDuration,
                "Controller:LeaderElection needs 0 < RetryPeriod < RenewDeadline < LeaseDuration");
        }

        Require(errors, Uri.TryCreate(o.WorkloadIdentity.IamEndpoint, UriKind.Absolute, out _), "Controller:WorkloadIdentity:IamEndpoint must be an absolute URL");
        Require(errors, Uri.TryCreate(o.WorkloadIdentity.TokenUrl, UriKind.Absolute, out _), "Controller:WorkloadIdentity:TokenUrl must be an absolute URL");
        Require(errors, o.WorkloadIdentity.Timeout > TimeSpan.Zero, "Controller:WorkloadIdentity:Timeout must be positive");
        Require(errors, Uri.TryCreate(o.AwsIam.IamEndpoint, UriKind.Absolute, out _), "Controller:AwsIam:IamEndpoint must be an absolute URL");
        Require(errors, Uri.TryCreate(o.AwsIam.StsEndpoint, UriKind.Absolute, out _), "Controller:AwsIam:StsEndpoint must be an absolute URL");
        Require(errors, string.IsNullOrEmpty(o.AwsIam.OidcProviderArn) || o.AwsIam.OidcProviderArn.Contains(":oidc-provider/", StringComparison.Ordinal),
            $"Controller:AwsIam:OidcProviderArn must be arn:aws:iam::<account>:oidc-provider/<issuer>, not '{o.AwsIam.OidcProviderArn}'");
        Require(errors, o.AwsIam.TrustPolicySizeLimit is >= 256 and <= 131072, "Controller:AwsIam:TrustPolicySizeLimit must be 256-131072");
        Require(errors, o.AwsIam.Timeout > TimeSpan.Zero, "Controller:AwsIam:Timeout must be positive");
        return errors;
    }

    private static void Require(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}
