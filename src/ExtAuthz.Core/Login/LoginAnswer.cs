using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Login;

/// <summary>
/// What a login path answers: always a denied CheckResponse (Envoy sends it to the browser as it is) with this
/// status, headers (several <c>Set-Cookie</c> allowed) and body, plus the reason and a loggable detail for the record.
/// </summary>
public sealed class LoginAnswer
{
    public required int Status { get; init; }

    public required ReasonCode Reason { get; init; }

    /// <summary>For the decision log and dynamic metadata only: never a token, a code, a state or a cookie.</summary>
    public required string Detail { get; init; }

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public string Body { get; set; } = string.Empty;

    /// <summary>The user, when the answer concerns a session (callback, logout, user info).</summary>
    public Principal? Principal { get; init; }

    public LoginAnswer With(string name, string value)
    {
        Headers.Add(KeyValuePair.Create(name, value));
        return this;
    }
}
