using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

/// <summary>A fixed set of profile namespaces.</summary>
internal sealed class Profiles(params string[] names) : IProfileNamespaces
{
    public bool IsProfileNamespace(ReadOnlySpan<char> ns)
    {
        foreach (var name in names)
        {
            if (ns.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }
}
