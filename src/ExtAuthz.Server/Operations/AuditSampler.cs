using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Operations;

/// <summary>Decides which decisions reach the decision log: every deny, and a share of allows (<c>Audit:AllowSampleRate</c>).</summary>
internal sealed class AuditSampler
{
    private readonly bool _off;
    private readonly double _rate;

    public AuditSampler(AuditOptions options)
    {
        _off = options.Output == "none";
        _rate = options.AllowSampleRate;
    }

    /// <param name="answeredAllow">False for a deny; a dry-run allow is passed as a deny, since it records one.</param>
    public bool Logs(bool answeredAllow)
    {
        if (_off)
        {
            return false;
        }

        return !answeredAllow || _rate >= 1 || (_rate > 0 && Random.Shared.NextDouble() < _rate);
    }
}
