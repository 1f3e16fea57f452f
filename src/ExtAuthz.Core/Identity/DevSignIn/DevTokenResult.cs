namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>The token endpoint's answer: a status and its JSON body (tokens, or an OAuth error with a description).</summary>
internal sealed record DevTokenResult(int Status, string Json, string? User)
{
    public bool Succeeded => Status == 200;

    /// <summary>What went wrong, for the log (never a code or secret).</summary>
    public string? Description { get; init; }
}
