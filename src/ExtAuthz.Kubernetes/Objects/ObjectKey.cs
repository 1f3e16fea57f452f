namespace ExtAuthz.Kubernetes.Objects;

/// <summary>Which object an event is about: namespace (null for cluster-scoped kinds) and name.</summary>
internal readonly record struct ObjectKey(string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
