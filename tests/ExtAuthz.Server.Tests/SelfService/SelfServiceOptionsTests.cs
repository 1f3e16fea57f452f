using ExtAuthz.Server.Hosting;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>The workspace API's keys: a bad value or an unknown key stops the start, listed with the rest.</summary>
public sealed class SelfServiceOptionsTests
{
    public static TheoryData<string[], string> Invalid => new()
    {
        { ["--Server:ApiPort=70000"], "Server:ApiPort: 70000 is not a TCP port" },
        { ["--SelfService:Enabled=true", "--Server:HttpPort=9100", "--Server:ApiPort=9100"], "Server:ApiPort: must differ" },
        { ["--SelfService:MaxOwnedWorkspaces=-1"], "SelfService:MaxOwnedWorkspaces: must be between 0 and 1000" },
        { ["--SelfService:ReservedNames:0=Not_A_Name"], "SelfService:ReservedNames: 'Not_A_Name' is not a namespace name" },
        { ["--SelfService:TrustedCallers:0=spiffe://cluster.local/ns/kubeflow/sa/dashboard"], "SelfService:TrustedCallers: 'spiffe://" },
        { ["--SelfService:WriteTimeout=00:00:00"], "SelfService:WriteTimeout, SelfService:VisibleTimeout: must be positive" },
        { ["--SelfService:Registraton=true"], "SelfService:Registraton: unknown" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Build_InvalidSelfServiceKey_IsListed(string[] args, string expected)
    {
        var (app, errors) = ExtAuthzHost.Build(["--Server:GrpcPort=0", "--Server:HttpPort=0", .. args]);

        Assert.Null(app);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
