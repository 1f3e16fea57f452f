using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Configuration;

/// <summary>The keys of the workspace and sharing API.</summary>
internal static class SelfServiceRules
{
    public static void Validate(ExtAuthzOptions options, List<string> errors)
    {
        var server = options.Server;
        var self = options.SelfService;
        if (server.ApiPort is < 0 or > 65535)
        {
            errors.Add($"Server:ApiPort: {server.ApiPort} is not a TCP port (0-65535)");
        }
        else if (self.Enabled && server.ApiPort != 0 && (server.ApiPort == server.GrpcPort || server.ApiPort == server.HttpPort))
        {
            errors.Add($"Server:ApiPort: must differ from Server:GrpcPort and Server:HttpPort ({server.ApiPort})");
        }

        if (self.MaxOwnedWorkspaces is < 0 or > 1000)
        {
            errors.Add("SelfService:MaxOwnedWorkspaces: must be between 0 and 1000");
        }

        foreach (var name in self.ReservedNames.Where(n => !DnsLabel.IsValid(n)))
        {
            errors.Add($"SelfService:ReservedNames: '{name}' is not a namespace name (a DNS-1123 label)");
        }

        foreach (var caller in self.TrustedCallers.Where(c => c.Length == 0 || c.StartsWith("spiffe://", StringComparison.Ordinal) || c.Any(char.IsWhiteSpace)))
        {
            errors.Add($"SelfService:TrustedCallers: '{caller}' must be a principal such as cluster.local/ns/kubeflow/sa/centraldashboard (no spiffe://, no spaces)");
        }

        if (self.WriteTimeout <= TimeSpan.Zero || self.VisibleTimeout <= TimeSpan.Zero)
        {
            errors.Add("SelfService:WriteTimeout, SelfService:VisibleTimeout: must be positive");
        }
    }
}
