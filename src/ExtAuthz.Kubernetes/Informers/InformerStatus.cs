namespace ExtAuthz.Kubernetes.Informers;

/// <summary>One informer's state as <c>/readyz</c> shows it; replaced whole on every change, so a reader never sees half.</summary>
internal sealed record InformerStatus
{
    public required string Resource { get; init; }

    /// <summary>listing, watching or retrying.</summary>
    public string Phase { get; init; } = "listing";

    /// <summary>A full list has been applied at least once.</summary>
    public bool Synced { get; init; }

    /// <summary>False while the API server cannot be reached; decisions then use the last snapshot.</summary>
    public bool Connected { get; init; }

    public string? ResourceVersion { get; init; }

    public DateTimeOffset? LastListAt { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    public int Lists { get; init; }

    public int Events { get; init; }

    /// <summary>Watches started; every one after the first is a restart.</summary>
    public int Watches { get; init; }

    public int MalformedObjects { get; init; }

    public int ConsecutiveFailures { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }
}
