namespace ExtAuthz.Core.Namespaces;

/// <summary>Which namespaces are Kubeflow profiles; the destination's namespace counts only when it is one.</summary>
public interface IProfileNamespaces
{
    bool IsProfileNamespace(ReadOnlySpan<char> ns);
}
