namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Where a namespace was read. Only a value from the normalised path (or the trusted destination principal) may be
/// echoed in a detail or a log line; a query or host value is named by its source only (it may be a secret).
/// </summary>
public enum NamespaceSource
{
    None = 0,
    Path,
    Query,
    Host,
    Destination,
}
