using System.Net;
using System.Net.Sockets;

namespace ExtAuthz.Redis;

/// <summary>
/// Why Redis is unavailable, in one short line for <c>/readyz</c> and the log: a name that does not resolve is said as
/// such, and the client library's messages are cut before their diagnostic dump (queue counters, thread pool state),
/// which runs to a thousand characters and means nothing to an operator.
/// </summary>
internal static class RedisFailure
{
    private const int MaxLength = 240;

    /// <summary>The first endpoint whose host name does not resolve, said as a reason; null when every name resolves.</summary>
    public static async Task<string?> UnresolvedAsync(IEnumerable<EndPoint> endpoints, CancellationToken cancellation)
    {
        foreach (var endpoint in endpoints.OfType<DnsEndPoint>())
        {
            try
            {
                await Dns.GetHostAddressesAsync(endpoint.Host, cancellation);
            }
            catch (SocketException ex)
            {
                return $"{endpoint.Host}:{endpoint.Port} does not resolve ({ex.Message})";
            }
        }

        return null;
    }

    /// <summary>The library's message up to its first detail section, on one line.</summary>
    public static string Short(Exception exception)
    {
        var text = exception.Message.ReplaceLineEndings(" ");
        foreach (var cut in new[] { " - Last Connection Exception", "; IOCP:", ", mc:", ", inst:" })
        {
            var at = text.IndexOf(cut, StringComparison.Ordinal);
            if (at > 0)
            {
                text = text[..at];
            }
        }

        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }
}
