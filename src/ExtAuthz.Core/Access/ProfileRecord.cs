namespace ExtAuthz.Core.Access;

/// <summary>
/// What the index keeps of a <c>profiles.kubeflow.org</c> object: its name (which is also its namespace), its
/// owner, and whether it asks for dry-run (annotation <c>extauthz/dry-run: "true"</c>).
/// </summary>
public sealed record ProfileRecord(string Name, SubjectRecord Owner, bool DryRun = false)
{
    public const string DryRunAnnotation = "extauthz/dry-run";
}
