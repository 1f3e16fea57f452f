namespace ExtAuthz.Core.Configuration;

/// <summary>How the server reads a CheckRequest (<c>Server:CheckReader</c>).</summary>
public enum CheckReader
{
    /// <summary>Walks the request bytes and keeps only what a decision reads; answers are reused serialized.</summary>
    Lean = 0,

    /// <summary>The generated protobuf classes, request and response; kept for comparison and as a fallback.</summary>
    Generated,
}
