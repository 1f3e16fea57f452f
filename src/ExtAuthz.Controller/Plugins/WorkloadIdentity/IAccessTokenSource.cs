namespace ExtAuthz.Controller.Plugins.WorkloadIdentity;

/// <summary>An OAuth2 access token for Google APIs.</summary>
internal interface IAccessTokenSource
{
    Task<string> GetTokenAsync(CancellationToken cancellationToken);
}
