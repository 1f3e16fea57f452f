namespace ExtAuthz.Kubernetes.Directory;

/// <summary>The Directory source's state as <c>/readyz</c> shows it.</summary>
internal sealed record DirectoryStatus
{
    public string Kind { get; init; } = "Directory";

    public required string Folder { get; init; }

    /// <summary>False when the last read had problems (the last good index, if any, keeps serving).</summary>
    public bool Healthy { get; init; }

    public int Files { get; init; }

    public int Profiles { get; init; }

    public int RoleBindings { get; init; }

    public int Namespaces { get; init; }

    /// <summary>How many Profiles their Namespace did not adopt, and why for the first few.</summary>
    public object? UnadoptedProfiles { get; init; }

    /// <summary>Objects of other kinds in the files (ServiceAccounts, ConfigMaps…), which grant nothing.</summary>
    public int IgnoredObjects { get; init; }

    public int Loads { get; init; }

    public DateTimeOffset? LastLoadAt { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public DateTimeOffset? LastErrorAt { get; init; }
}
