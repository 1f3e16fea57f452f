namespace ExtAuthz.Core.Configuration;

internal static class ServerRules
{
    public static void Validate(ServerOptions server, List<string> errors)
    {
        // Port 0 asks the OS for a free port (tests); anything else must be a real port.
        if (server.GrpcPort is < 0 or > 65535)
        {
            errors.Add($"Server:GrpcPort: {server.GrpcPort} is not a TCP port (0-65535)");
        }

        if (server.HttpPort is < 0 or > 65535)
        {
            errors.Add($"Server:HttpPort: {server.HttpPort} is not a TCP port (0-65535)");
        }

        if (server.GrpcPort != 0 && server.GrpcPort == server.HttpPort)
        {
            errors.Add($"Server:HttpPort: must differ from Server:GrpcPort ({server.GrpcPort})");
        }

        if (server.KeepAliveTimeout <= TimeSpan.Zero)
        {
            errors.Add("Server:KeepAliveTimeout: must be positive");
        }

        if (server.MaxConcurrentStreams < 1)
        {
            errors.Add("Server:MaxConcurrentStreams: must be at least 1");
        }

        if (server.MaxRequestBytes < 4096)
        {
            errors.Add("Server:MaxRequestBytes: must be at least 4096");
        }

        if (server.OpsMaxConnections < 1)
        {
            errors.Add("Server:OpsMaxConnections: must be at least 1");
        }

        if (server.OpsIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("Server:OpsIdleTimeout: must be positive");
        }

        if (server.HealthMaxWatches < 0 || server.HealthMaxWatchesPerConnection < 0)
        {
            errors.Add("Server:HealthMaxWatches, Server:HealthMaxWatchesPerConnection: must not be negative (0 refuses every Watch)");
        }

        if (server.WarmUpRounds is < 0 or > 10_000)
        {
            errors.Add($"Server:WarmUpRounds: {server.WarmUpRounds} is not between 0 (no warm-up) and 10000");
        }

        if (server.ShutdownDrain < TimeSpan.Zero)
        {
            errors.Add("Server:ShutdownDrain: must not be negative");
        }
    }
}
