using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Plugins.AwsIam;

/// <summary>
/// <c>AwsIamForServiceAccount</c> (IRSA): <c>spec.awsIamRole</c> is a role ARN the namespace's <c>default-editor</c>
/// may assume. The ServiceAccount gets <c>eks.amazonaws.com/role-arn</c>; unless <c>spec.annotateOnly</c>, the role's
/// trust policy gets the subject <c>system:serviceaccount:&lt;ns&gt;:default-editor</c> (see <see cref="TrustPolicy"/>).
/// </summary>
internal sealed partial class AwsIamPlugin : IProfilePlugin
{
    public const string Annotation = "eks.amazonaws.com/role-arn";
    private readonly AwsIamClient _iam;
    private readonly string? _providerArn;
    private readonly int _sizeLimit;

    public AwsIamPlugin(AwsIamClient iam, string? providerArn, int sizeLimit)
    {
        _iam = iam;
        _providerArn = string.IsNullOrEmpty(providerArn) ? null : providerArn;
        _sizeLimit = sizeLimit;
    }

    public string Kind => "AwsIamForServiceAccount";

    public IPluginInstance? Parse(JsonNode? spec, out string? error)
    {
        var arn = Meta.Str(spec?["awsIamRole"]);
        var match = arn is null ? null : RoleArn().Match(arn);
        if (match is not { Success: true })
        {
            error = $"awsIamRole '{arn}' is not arn:aws:iam::<12-digit account>:role/<name>";
            return null;
        }

        var annotateOnly = spec?["annotateOnly"] is JsonValue value && value.TryGetValue<bool>(out var b) && b;
        error = null;
        return new AwsIamBinding(_iam, arn!, match.Groups["name"].Value, annotateOnly, _providerArn, _sizeLimit);
    }

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::\d{12}:role/([\w+=,.@-]+/)*(?<name>[\w+=,.@-]{1,64})$")]
    private static partial Regex RoleArn();
}
