namespace ExtAuthz.Core.Login;

/// <summary>The parts of a token endpoint answer the flow keeps.</summary>
internal sealed record TokenResponse(string IdToken, string? RefreshToken);
