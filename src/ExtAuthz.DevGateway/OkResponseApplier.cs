using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ExtAuthz.DevGateway;

/// <summary>
/// Applies an allow the way Envoy's ext_authz filter does (envoy-ext-authz.md §3.3, §3.5, Envoy up to 1.36 and
/// after the 1.37 revert): each <c>ok_response.headers</c> entry with <c>append</c> unset or false is set
/// (overwriting), with <c>append=true</c> it is comma-appended only to a header that is already there; then
/// <c>headers_to_remove</c> removes, except pseudo-headers and <c>host</c>. <c>response_headers_to_add</c> go on the
/// upstream's response: <c>append</c> true adds, false sets, unset follows <c>append_action</c>.
/// </summary>
internal static class OkResponseApplier
{
    public static void ApplyToRequest(OkHttpResponse ok, HttpRequest request)
    {
        foreach (var option in ok.Headers)
        {
            if (option.Append is not true)
            {
                Set(request, option.Header.Key, option.Header.Value);
            }
        }

        foreach (var option in ok.Headers)
        {
            if (option.Append is true)
            {
                AppendIfPresent(request.Headers, option.Header.Key, option.Header.Value);
            }
        }

        foreach (var name in ok.HeadersToRemove)
        {
            if (IsRemovable(name))
            {
                request.Headers.Remove(name);
            }
        }
    }

    public static void ApplyToResponse(IEnumerable<HeaderValueOption> responseHeadersToAdd, IHeaderDictionary headers)
    {
        foreach (var option in responseHeadersToAdd)
        {
            var (name, value) = (option.Header.Key, option.Header.Value);
            var action = option.Append is null
                ? option.AppendAction
                : option.Append.Value ? HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd : HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd;
            var present = headers.ContainsKey(name);
            switch (action)
            {
                case HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd:
                    headers.Append(name, value);
                    break;
                case HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent when !present:
                case HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd:
                case HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists when present:
                    headers[name] = value;
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Envoy's <c>HeaderUtility::isRemovableHeader</c>: never a pseudo-header, never <c>host</c>.</summary>
    public static bool IsRemovable(string name) =>
        !name.StartsWith(':') && !name.Equals("host", StringComparison.OrdinalIgnoreCase);

    /// <summary>Envoy's <c>setCopy</c>; the pseudo-headers map onto the request line.</summary>
    private static void Set(HttpRequest request, string name, string value)
    {
        switch (name.ToLowerInvariant())
        {
            case ":authority" or "host":
                request.Host = new HostString(value);
                break;
            case ":method":
                request.Method = value;
                break;
            case ":path":
                var query = value.IndexOf('?', StringComparison.Ordinal);
                request.Path = PathString.FromUriComponent(query < 0 ? value : value[..query]);
                request.QueryString = query < 0 ? QueryString.Empty : new QueryString(value[query..]);
                break;
            case ":scheme":
                request.Scheme = value;
                break;
            default:
                if (!name.StartsWith(':'))
                {
                    request.Headers[name] = value;
                }

                break;
        }
    }

    /// <summary>Envoy's <c>appendCopy</c> guarded by presence: the first entry grows by ",value"; an absent header stays absent.</summary>
    private static void AppendIfPresent(IHeaderDictionary headers, string name, string value)
    {
        if (name.StartsWith(':') || !headers.TryGetValue(name, out var existing) || existing.Count == 0)
        {
            return;
        }

        var values = existing.ToArray();
        values[0] = values[0] + "," + value;
        headers[name] = new StringValues(values);
    }
}
