using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Which names a new workspace may take: a DNS-1123 label (a namespace name, at most 63 characters) that is not
/// reserved. Reserved: every <c>kube-*</c> and <c>istio-*</c> name, <c>kubeflow</c>, <c>default</c>, and
/// <c>SelfService:ReservedNames</c>.
/// </summary>
internal sealed class WorkspaceNames
{
    private readonly HashSet<string> _reserved;

    public WorkspaceNames(IEnumerable<string> extras) =>
        _reserved = new HashSet<string>(["kubeflow", "default", .. extras], StringComparer.Ordinal);

    /// <summary>Null when the name may be taken; otherwise why not.</summary>
    public Outcome? Refusal(string name)
    {
        if (!DnsLabel.IsValid(name))
        {
            return Outcome.BadRequest("invalid_name",
                $"'{Shown(name)}' is not a namespace name: 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
        }

        return name.StartsWith("kube-", StringComparison.Ordinal) || name.StartsWith("istio-", StringComparison.Ordinal) || _reserved.Contains(name)
            ? Outcome.Forbidden("reserved_name", $"'{name}' is a reserved name")
            : null;
    }

    private static string Shown(string name) =>
        new([.. name.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
