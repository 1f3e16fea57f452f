namespace ExtAuthz.Core.Login;

/// <summary>
/// A session or login-state store could not answer within its bound (Redis down or slow). Callers turn it into a
/// clear 503 page for new logins; sessions already warm on this replica keep working.
/// </summary>
public sealed class LoginStoreUnavailableException : Exception
{
    public LoginStoreUnavailableException()
    {
    }

    public LoginStoreUnavailableException(string message)
        : base(message)
    {
    }

    public LoginStoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
