using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Login;

/// <summary>Why a request's session cookie does not authenticate it: a 401 reason and a loggable detail.</summary>
internal sealed class SessionRefusal
{
    private SessionRefusal(ReasonCode reason, string detail)
    {
        Reason = reason;
        Detail = detail;
    }

    public static SessionRefusal Forged { get; } = new(ReasonCode.InvalidSession, "session cookie: bad format or MAC");

    public static SessionRefusal Unknown { get; } = new(ReasonCode.InvalidSession, "session unknown or ended");

    public static SessionRefusal Expired { get; } = new(ReasonCode.SessionExpired, "session expired");

    public static SessionRefusal Idle { get; } = new(ReasonCode.SessionExpired, "session idle too long");

    public static SessionRefusal Unreadable { get; } = new(ReasonCode.InvalidSession, "session record does not open with the key ring");

    public static SessionRefusal Unavailable { get; } = new(ReasonCode.LoginUnavailable, "session store unavailable");

    public ReasonCode Reason { get; }

    public string Detail { get; }
}
