namespace ExtAuthz.Cli;

/// <summary>The flags of <c>extauthz check</c>.</summary>
internal sealed class CheckOptions
{
    public string Address { get; private set; } = "http://127.0.0.1:9000";

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
        options = new CheckOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            switch (flag)
            {
                case "--browser": options.Browser = true; continue;
                case "--v2": options.V2 = true; continue;
                case "--explain": options.Explain = true; continue;
                case "--json": options.Json = true; continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{flag}: needs a value";
                return false;
            }

            var value = args[++i];
            switch (flag)
            {
                case "--addr": options.Address = value; break;
                case "--ops": options.Ops = value; break;
                case "--method": options.Method = value.ToUpperInvariant(); break;
                case "--path": options.Path = value; break;
                case "--host": options.Host = value; break;
                case "--token": options.Token = value; break;
                case "--user": options.User = value; break;
                case "--groups": options.Groups.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--source-principal": options.SourcePrincipal = value; break;
                case "--destination-principal": options.DestinationPrincipal = value; break;
                case "-H" or "--header":
                    var colon = value.IndexOf(':', 1);
                    if (colon <= 0)
                    {
                        error = $"{flag} '{value}': expected 'name: value'";
                        return false;
                    }

                    options.Headers.Add(new(value[..colon].Trim().ToLowerInvariant(), value[(colon + 1)..].Trim()));
                    break;
                default:
                    error = $"unknown option '{flag}'";
                    return false;
            }
        }

        if (options.Token is not null && options.User is not null)
        {
            error = "--token and --user: give one or the other";
            return false;
        }

        if (!Uri.TryCreate(options.Address, UriKind.Absolute, out _))
        {
            error = $"--addr '{options.Address}': not an absolute URL";
            return false;
        }

        return true;
    }
}
