using System.Text.RegularExpressions;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// A member must be one well-formed email: the WHATWG "valid e-mail address" the central dashboard checks
/// (kubeflow/kubeflow v1.10.0 components/centraldashboard/app/api_workgroup.ts, EMAIL_RGX), at most 254 characters,
/// no control character anywhere. So a group such as <c>system:authenticated</c> or a ServiceAccount id never passes.
/// </summary>
internal static partial class MemberEmail
{
    public const int MaxLength = 254;

    /// <summary>The trimmed email, or null when it is not one.</summary>
    public static string? Parse(string? value)
    {
        if (value is null || value.Any(char.IsControl))
        {
            return null;
        }

        var email = value.Trim();
        return email.Length is > 0 and <= MaxLength && Whatwg().IsMatch(email) ? email : null;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\z", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Whatwg();
}
