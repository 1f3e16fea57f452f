namespace ExtAuthz.Cli;

/// <summary>The command table of <c>extauthz</c>.</summary>
internal static class Cli
{
    public const int Allowed = 0;
    public const int Denied = 1;
    public const int Usage = 2;
    public const int Failed = 3;

    public const string Help = """
        extauthz check [options]      send one Check to a running ExtAuthz and print the decision

          --addr URL                  gRPC address (default http://127.0.0.1:9000)
          --authority A               :authority of the gRPC call itself (default, as Istio's Envoy writes it:
                                      outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local)
          --ops URL                   ops address, for --user (default http://127.0.0.1:8080)
          --method M                  HTTP method (default GET)
          --path P                    request path and query (default /)
          --host H                    the checked request's :authority (default kubeflow.example.com)
          -H, --header 'name: value'  a request header (repeatable)
          --token JWT                 sent as 'authorization: Bearer JWT'
          --user EMAIL                mint a token for EMAIL from the development issuer (loopback only)
          --groups a,b                groups for --user
          --source-principal ID       attributes.source.principal (e.g. spiffe://cluster.local/ns/alice/sa/default-editor)
          --destination-principal ID  attributes.destination.principal
          --browser                   send the headers of a browser page navigation
          --v2                        call /envoy.service.auth.v2.Authorization/Check
          --explain                   also print the grant (or the missing one) from dynamic_metadata
          --json                      print one JSON object instead of text

        exit code: 0 allowed, 1 denied, 2 usage error, 3 no answer (connection or RPC failure)

        extauthz revoke [options]     revoke tokens on a running ExtAuthz (the caller must be a cluster admin)

          --ops URL                   ops address (default http://127.0.0.1:8080)
          --bearer JWT                the caller's own token
          --as EMAIL                  mint the caller's token for EMAIL from the development issuer (loopback only)
          --user EMAIL                revoke every token of EMAIL issued before now
          --jti ID --issuer ISS       revoke one token by its jti
          --token JWT                 revoke this token (by its jti, or its fingerprint when it has none)
          --list                      print the revocations the server holds
          --json                      print the server's JSON answer

        exit code: 0 done, 1 refused, 2 usage error, 3 no answer

        extauthz token --user EMAIL   print a token minted by the development issuer (loopback only), for scripts:
                                      ADMIN_TOKEN=$(extauthz token --user admin@example.com)
          --groups a,b                groups claim
          --ops URL                   ops address (default http://127.0.0.1:8080)

        exit code: 0 printed, 2 usage error, 3 no token (the development issuer is off or unreachable)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Help);
            return args.Length == 0 ? Usage : Allowed;
        }

        if (args[0] == "revoke")
        {
            return RevokeOptions.TryParse(args.AsSpan(1), out var revoke, out var revokeError)
                ? await new RevokeCommand(revoke, stdout, stderr).RunAsync()
                : await UsageAsync(stderr, revokeError);
        }

        if (args[0] == "token")
        {
            return TokenCommand.TryParse(args.AsSpan(1), out var mint, out var mintError)
                ? await mint.RunAsync(stdout, stderr)
                : await UsageAsync(stderr, mintError);
        }

        if (args[0] != "check")
        {
            await stderr.WriteLineAsync($"unknown command '{args[0]}'\n\n{Help}");
            return Usage;
        }

        if (!CheckOptions.TryParse(args.AsSpan(1), out var options, out var error))
        {
            await stderr.WriteLineAsync($"{error}\n\n{Help}");
            return Usage;
        }

        return await new CheckCommand(options, stdout, stderr).RunAsync();
    }

    private static async Task<int> UsageAsync(TextWriter stderr, string? error)
    {
        await stderr.WriteLineAsync($"{error}\n\n{Help}");
        return Usage;
    }
}
