namespace ExtAuthz.Cli;

/// <summary>The flags of <c>extauthz check</c>.</summary>
internal sealed class CheckOptions
{
    public string Address { get; private set; } = "http://127.0.0.1:9000";

    /// <summary>Istio's ext_authz cluster name, '|' written as "_.", without a port: what Envoy in the mesh sends.</summary>
    public const string IstioAuthority = "outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local";

    public string Authority { get; private set; } = IstioAuthority;

    public string Ops { get; private set; } = "http://127.0.0.1:8080";

    public string Method { get; private set; } = "GET";

    public string Path { get; private set; } = "/";

    public string Host { get; private set; } = "kubeflow.example.com";

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public string? Token { get; private set; }

    public string? User { get; private set; }

    public List<string> Groups { get; } = [];

    public string SourcePrincipal { get; private set; } = string.Empty;

    public string DestinationPrincipal { get; private set; } = string.Empty;

    public bool Browser { get; private set; }

    public bool V2 { get; private set; }

    public bool Explain { get; private set; }

    public bool Json { get; private set; }

    public static bool TryParse(ReadOnlySpan<string> args, out CheckOptions options, out string? error)
    {
        var o = options = new CheckOptions();
        if (!FlagReader.TryRead(args, o.Switch, o.Apply, out error))
        {
            return false;
        }

        if (o.Token is not null && o.User is not null)
        {
            error = "--token and --user: give one or the other";
            return false;
        }

        if (!Uri.TryCreate(o.Address, UriKind.Absolute, out _))
        {
            error = $"--addr '{o.Address}': not an absolute URL";
            return false;
        }

        return true;
    }

    private bool Switch(string flag)
    {
        switch (flag)
        {
            case "--browser": Browser = true; return true;
            case "--v2": V2 = true; return true;
            case "--explain": Explain = true; return true;
            case "--json": Json = true; return true;
            default: return false;
        }
    }

    private string? Apply(string flag, string value)
    {
        switch (flag)
        {
            case "--addr": Address = value; break;
            case "--authority": Authority = value; break;
            case "--ops": Ops = value; break;
            case "--method": Method = value.ToUpperInvariant(); break;
            case "--path": Path = value; break;
            case "--host": Host = value; break;
            case "--token": Token = value; break;
            case "--user": User = value; break;
            case "--groups": Groups.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
            case "--source-principal": SourcePrincipal = value; break;
            case "--destination-principal": DestinationPrincipal = value; break;
            case "-H" or "--header":
                // Search from the second character, so a pseudo-header such as ":authority: x" keeps its own colon.
                var colon = value.Length > 1 ? value.IndexOf(':', 1) : -1;
                if (colon <= 0)
                {
                    return $"{flag} '{value}': expected 'name: value'";
                }

                Headers.Add(new(value[..colon].Trim().ToLowerInvariant(), value[(colon + 1)..].Trim()));
                break;
            default:
                return FlagReader.Unknown(flag);
        }

        return null;
    }
}
