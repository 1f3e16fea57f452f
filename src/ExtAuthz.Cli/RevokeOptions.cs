namespace ExtAuthz.Cli;

/// <summary>The flags of <c>extauthz revoke</c>.</summary>
internal sealed class RevokeOptions
{
    public string Ops { get; private set; } = "http://127.0.0.1:8080";

    /// <summary>The caller's own token (a cluster admin's).</summary>
    public string? Bearer { get; private set; }

    /// <summary>Mint the caller's token for this admin from the development issuer.</summary>
    public string? As { get; private set; }

    public string? User { get; private set; }

    public string? Jti { get; private set; }

    public string? Issuer { get; private set; }

    public string? Token { get; private set; }

    public bool List { get; private set; }

    public bool Json { get; private set; }

    public static bool TryParse(ReadOnlySpan<string> args, out RevokeOptions options, out string? error)
    {
        var o = options = new RevokeOptions();
        if (!FlagReader.TryRead(args, o.Switch, o.Apply, out error))
        {
            return false;
        }

        return o.Validate(out error);
    }

    private bool Switch(string flag)
    {
        switch (flag)
        {
            case "--list": List = true; return true;
            case "--json": Json = true; return true;
            default: return false;
        }
    }

    private string? Apply(string flag, string value)
    {
        switch (flag)
        {
            case "--ops": Ops = value; break;
            case "--bearer": Bearer = value; break;
            case "--as": As = value; break;
            case "--user": User = value; break;
            case "--jti": Jti = value; break;
            case "--issuer": Issuer = value; break;
            case "--token": Token = value; break;
            default: return FlagReader.Unknown(flag);
        }

        return null;
    }

    private bool Validate(out string? error)
    {
        error = null;
        var targets = new[] { User, Jti, Token }.Count(v => v is not null);
        if ((Bearer is null) == (As is null))
        {
            error = "say who you are: --bearer JWT or --as EMAIL (one of them)";
        }
        else if (List ? targets != 0 : targets != 1)
        {
            error = List ? "--list takes no --user, --jti or --token" : "name what to revoke: --user, --jti (with --issuer) or --token (one of them)";
        }
        else if (Jti is not null && Issuer is null)
        {
            error = "--jti needs --issuer";
        }

        return error is null;
    }
}
