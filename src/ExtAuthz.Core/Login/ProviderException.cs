namespace ExtAuthz.Core.Login;

/// <summary>
/// The provider's discovery or token endpoint failed: down, slow, an error status, or an answer that is not what the
/// protocol says. <see cref="Detail"/> is safe to log (never a token, a code or a body).
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(string detail, bool rejected = false)
        : base(detail)
    {
        Detail = detail;
        Rejected = rejected;
    }

    public ProviderException()
        : this("provider error")
    {
    }

    public ProviderException(string message, Exception inner)
        : base(message, inner)
    {
        Detail = message;
    }

    public string Detail { get; } = string.Empty;

    /// <summary>True when the provider answered and refused (<c>invalid_grant</c>): the grant is dead, not the provider.</summary>
    public bool Rejected { get; }
}
