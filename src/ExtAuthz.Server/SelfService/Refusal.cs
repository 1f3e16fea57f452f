namespace ExtAuthz.Server.SelfService;

/// <summary>
/// The answer of a workspace rule or write: an HTTP status, a reason code from a closed set (for the body, the log and
/// the metrics) and a sentence for a person. Success is a refusal-free <see cref="Outcome"/> with status 200.
/// </summary>
internal sealed record Outcome(int Status, string Reason, string Message)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public static Outcome Ok(string reason, string message) => new(200, reason, message);

    public static Outcome BadRequest(string reason, string message) => new(400, reason, message);

    public static Outcome Forbidden(string reason, string message) => new(403, reason, message);

    public static Outcome NotFound(string message) => new(404, "not_found", message);

    public static Outcome Conflict(string reason, string message) => new(409, reason, message);
}
