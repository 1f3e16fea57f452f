namespace ExtAuthz.Server.Operations;

/// <summary>
/// Where decision log lines go (<c>Audit:Output</c>): standard output by default, where Kubernetes collects logs.
/// Registered as a service so a test can hand in a stream of its own.
/// </summary>
public sealed class AuditOutput
{
    public AuditOutput(Stream stream) => Stream = stream;

    public Stream Stream { get; }

    public static AuditOutput For(string output) => output switch
    {
        "stderr" => new AuditOutput(Console.OpenStandardError()),
        "none" => new AuditOutput(Stream.Null),
        _ => new AuditOutput(Console.OpenStandardOutput()),
    };
}
