namespace ExtAuthz.Core.Access;

/// <summary>
/// What the index keeps of a core/v1 Namespace: its name and the profile controller's <c>owner</c> annotation (null
/// when absent). Nothing else of a Namespace matters to a decision, so nothing else is kept.
/// </summary>
public sealed record NamespaceRecord(string Name, string? Owner)
{
    public const string OwnerAnnotation = "owner";
}
