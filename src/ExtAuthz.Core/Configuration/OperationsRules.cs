namespace ExtAuthz.Core.Configuration;

/// <summary>The keys of the operations area: the decision log, revocations and Redis.</summary>
internal static class OperationsRules
{
    public static readonly IReadOnlyList<string> AuditOutputs = ["stdout", "stderr", "none"];

    public static void Validate(ExtAuthzOptions options, List<string> errors)
    {
        var audit = options.Audit;
        if (double.IsNaN(audit.AllowSampleRate) || audit.AllowSampleRate is < 0 or > 1)
        {
            errors.Add($"Audit:AllowSampleRate: {audit.AllowSampleRate} must be between 0 and 1");
        }

        if (!AuditOutputs.Contains(audit.Output))
        {
            errors.Add($"Audit:Output: '{audit.Output}' is not one of {string.Join(", ", AuditOutputs)}");
        }

        if (audit.QueueCapacity is < 16 or > 1_048_576)
        {
            errors.Add("Audit:QueueCapacity: must be between 16 and 1048576");
        }

        if (audit.QueueBytes is < 65_536 or > 1L << 30)
        {
            errors.Add("Audit:QueueBytes: must be between 65536 and 1073741824");
        }

        if (audit.RepeatWindow < TimeSpan.Zero || audit.RepeatWindow > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Audit:RepeatWindow: {audit.RepeatWindow} must be between 00:00:00 (no folding) and 00:10:00");
        }

        var lifetime = options.Revocation.MaxTokenLifetime;
        if (lifetime < TimeSpan.FromMinutes(1) || lifetime > TimeSpan.FromDays(30))
        {
            errors.Add("Revocation:MaxTokenLifetime: must be between 00:01:00 and 30.00:00:00");
        }

        var redis = options.Redis;
        if (redis.Configuration is { } configuration && string.IsNullOrWhiteSpace(configuration))
        {
            errors.Add("Redis:Configuration: must not be blank (leave it unset for a single replica)");
        }

        if (string.IsNullOrWhiteSpace(redis.Channel) || redis.Channel.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"Redis:Channel: '{redis.Channel}' must be a non-empty name without spaces");
        }

        if (string.IsNullOrWhiteSpace(redis.Key) || redis.Key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"Redis:Key: '{redis.Key}' must be a non-empty name without spaces");
        }

        if (redis.ResyncInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Redis:ResyncInterval: must be at least 00:00:01");
        }
    }
}
