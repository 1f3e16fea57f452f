using System.Text.Json.Nodes;
using ExtAuthz.Controller.Plugins.AwsIam;

namespace ExtAuthz.Controller.Tests.Plugins;

public sealed class AwsIamTests
{
    private const string Role = "notebooks";
    private const string RoleArn = "arn:aws:iam::111122223333:role/team/notebooks";
    private const string Issuer = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";

    // A role trusted by an EC2 service statement and by one other namespace of the cluster.
    private static readonly string s_policy = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Ec2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole"]},
          {"Sid":"Irsa","Effect":"Allow","Principal":{"Federated":"PROVIDER"},"Action":"sts:AssumeRoleWithWebIdentity",
           "Condition":{"StringEquals":{"ISSUER:sub":"system:serviceaccount:other:default-editor","ISSUER:aud":"sts.amazonaws.com"},
                        "StringLike":{"ISSUER:sub":"system:serviceaccount:ci-*:*"}}}]}
        """.Replace("PROVIDER", ControllerHarness.ProviderArn, StringComparison.Ordinal).Replace("ISSUER", Issuer, StringComparison.Ordinal);

    private static JsonArray Plugin(string arn = RoleArn, bool annotateOnly = false) =>
        new(new JsonObject { ["kind"] = "AwsIamForServiceAccount", ["spec"] = new JsonObject { ["awsIamRole"] = arn, ["annotateOnly"] = annotateOnly } });

    private static JsonObject Stored(ControllerHarness h) => JsonNode.Parse(h.Aws.TrustPolicy(Role))!.AsObject();

    [Fact]
    public async Task Reconcile_Irsa_AddsSubjectToTheMatchingStatementOnly()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Aws.SetTrustPolicy(Role, s_policy);
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Plugin()));

        await h.ReconcileAsync("team-a");

        var expected = JsonNode.Parse(s_policy)!.AsObject();
        expected["Statement"]![1]!["Condition"]!["StringEquals"]![$"{Issuer}:sub"] =
            new JsonArray("system:serviceaccount:other:default-editor", "system:serviceaccount:team-a:default-editor");
        Assert.True(JsonNode.DeepEquals(expected, Stored(h)), Stored(h).ToJsonString());
        Assert.Equal(RoleArn, h.ServiceAccounts.Get("team-a/default-editor")!["metadata"]!["annotations"]![AwsIamPlugin.Annotation]!.GetValue<string>());
        Assert.Equal("True", h.Condition("team-a", "Ready")!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reconcile_IrsaDeleted_RemovesOnlyOurSubjectPolicyAsBefore()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Aws.SetTrustPolicy(Role, s_policy);
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Plugin()));
        await h.ReconcileAsync("team-a");
        using var client = new HttpClient();

        (await client.DeleteAsync($"{h.Api.Url}/apis/kubeflow.org/v1/profiles/team-a")).EnsureSuccessStatusCode();
        await h.ReconcileAsync("team-a");

        var expected = JsonNode.Parse(s_policy)!.AsObject();
        Assert.True(JsonNode.DeepEquals(expected, Stored(h)), Stored(h).ToJsonString());
        Assert.Null(h.Profile("team-a"));
    }

    [Fact]
    public void Remove_LastSubject_DropsTheStatementNeverLeavesAudOnly()
    {
        var policy = JsonNode.Parse(s_policy)!.AsObject();

        Assert.True(TrustPolicy.Remove(policy, ControllerHarness.ProviderArn, "system:serviceaccount:other:default-editor"));

        Assert.Equal("Ec2", Assert.Single(policy["Statement"]!.AsArray())!["Sid"]!.GetValue<string>());
        Assert.False(TrustPolicy.Remove(policy, ControllerHarness.ProviderArn, "system:serviceaccount:other:default-editor"));
    }

    [Fact]
    public void Add_NoWebIdentityStatement_AppendsOneWithSubAndAud()
    {
        var policy = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonObject { ["Effect"] = "Allow", ["Action"] = "sts:AssumeRole" } };

        Assert.True(TrustPolicy.Add(policy, ControllerHarness.ProviderArn, "system:serviceaccount:team-a:default-editor"));

        var statements = policy["Statement"]!.AsArray();
        Assert.Equal(2, statements.Count);
        Assert.Equal("sts.amazonaws.com", statements[1]!["Condition"]!["StringEquals"]![$"{Issuer}:aud"]!.GetValue<string>());
        Assert.False(TrustPolicy.Add(policy, ControllerHarness.ProviderArn, "system:serviceaccount:team-a:default-editor"));
    }

    [Fact]
    public async Task Reconcile_AnnotateOnly_AnnotatesAndLeavesTheRoleAlone()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Aws.SetTrustPolicy(Role, s_policy);
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Plugin(annotateOnly: true)));

        await h.ReconcileAsync("team-a");

        Assert.Empty(h.Aws.Actions);
        Assert.Equal(RoleArn, h.ServiceAccounts.Get("team-a/default-editor")!["metadata"]!["annotations"]![AwsIamPlugin.Annotation]!.GetValue<string>());
        Assert.Equal("True", h.Condition("team-a", "Ready")!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(2048, "ACLSizePerRole")]
    [InlineData(100000, "LimitExceeded")]
    public async Task Reconcile_TrustPolicyTooLarge_PluginFailedSaysSo(int controllerLimit, string expected)
    {
        await using var h = await ControllerHarness.StartAsync(o => o.AwsIam.TrustPolicySizeLimit = controllerLimit);
        h.Aws.SizeLimit = 700;
        h.Aws.SetTrustPolicy(Role, s_policy.Replace("ec2.amazonaws.com", new string('x', 1500) + ".amazonaws.com", StringComparison.Ordinal));
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Plugin()));

        var retry = await h.ReconcileAsync("team-a");

        Assert.True(retry);
        var ready = h.Condition("team-a", "Ready")!;
        Assert.Equal("PluginFailed", ready["reason"]!.GetValue<string>());
        Assert.Contains(expected, ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_AccessDenied_PluginFailedWithAwsMessage()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Aws.SetTrustPolicy(Role, s_policy);
        h.Aws.Forbidden = true;
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Plugin()));

        Assert.True(await h.ReconcileAsync("team-a"));

        Assert.Contains("AccessDenied", h.Condition("team-a", "Ready")!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/notebooks", true)]
    [InlineData("arn:aws-us-gov:iam::111122223333:role/a/b/notebooks", true)]
    [InlineData("arn:aws:iam::1111:role/notebooks", false)]
    [InlineData("arn:aws:iam::111122223333:user/notebooks", false)]
    [InlineData("notebooks", false)]
    public async Task Reconcile_RoleArn_MalformedIsPluginInvalid(string arn, bool valid)
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Aws.SetTrustPolicy(Role, s_policy);
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Plugin(arn, annotateOnly: true)));

        await h.ReconcileAsync("team-a");

        Assert.Equal(valid ? "WorkspaceReady" : "PluginInvalid", h.Condition("team-a", "Ready")!["reason"]!.GetValue<string>());
    }
}
