namespace ExtAuthz.Core.Namespaces;

/// <summary>No profile namespaces (before the index has loaded): a route that reads only profile namespaces reads none.</summary>
internal sealed class NoProfiles : IProfileNamespaces
{
    public static NoProfiles Instance { get; } = new();

    public bool IsProfileNamespace(ReadOnlySpan<char> ns) => false;
}
