namespace ExtAuthz.Server.Operations;

/// <summary>
/// Where decision log lines go (<c>Audit:Output</c>): standard output by default, where Kubernetes collects logs,
/// through the log sink of that stream (<see cref="LogSink"/>). Registered as a service so a test can hand in a
/// stream of its own.
/// </summary>
public sealed class AuditOutput
{
    public const string Stderr = "stderr";

    public AuditOutput(Stream stream) => Stream = stream;

    public Stream Stream { get; }
}
