namespace ExtAuthz.Core.Configuration;

/// <summary>The <c>Revocation</c> section: how long a revocation is kept.</summary>
public sealed class RevocationOptions
{
    /// <summary>The longest lifetime of any accepted token (Dex's ID tokens default to 24 h); a revocation is kept this long.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);
}
