using System.Text.Json;

namespace ExtAuthz.Cli;

/// <summary>
/// <c>extauthz token --user EMAIL</c>: prints a token minted by the development issuer (a running server with
/// <c>Identity:DevIssuer:Enabled=true</c>, reached on loopback), for scripts: <c>TOKEN=$(extauthz token --user …)</c>.
/// </summary>
internal sealed class TokenCommand
{
    private string _ops = "http://127.0.0.1:8080";
    private readonly List<string> _groups = [];
    private string? _user;

    private TokenCommand()
    {
    }

    public static bool TryParse(ReadOnlySpan<string> args, out TokenCommand command, out string? error)
    {
        var c = command = new TokenCommand();
        if (!FlagReader.TryRead(args, static _ => false, c.Apply, out error))
        {
            return false;
        }

        error = c._user is null ? "token: --user EMAIL is required" : null;
        return error is null;
    }

    public async Task<int> RunAsync(TextWriter stdout, TextWriter stderr)
    {
        try
        {
            await stdout.WriteLineAsync(await DevTokens.MintAsync(_ops, _user!, _groups));
            return Cli.Allowed;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
        {
            await stderr.WriteLineAsync($"could not mint a token for {_user} at {_ops}/dev/token: {ex.Message}");
            await stderr.WriteLineAsync(DevTokens.Hint);
            return Cli.Failed;
        }
    }

    private string? Apply(string flag, string value)
    {
        switch (flag)
        {
            case "--user": _user = value; break;
            case "--groups": _groups.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
            case "--ops": _ops = value; break;
            default: return FlagReader.Unknown(flag);
        }

        return null;
    }
}
