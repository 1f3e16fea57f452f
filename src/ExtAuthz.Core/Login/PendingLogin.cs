namespace ExtAuthz.Core.Login;

/// <summary>One login attempt between <c>/oauth2/start</c> and <c>/oauth2/callback</c>, as a store keeps it.</summary>
/// <param name="StateHash">Base64url SHA-256 of the <c>state</c> value sent to the provider: the key.</param>
/// <param name="BindingHash">Base64url SHA-256 of the browser's binding cookie: the attempt is this browser's only.</param>
/// <param name="CreatedAt">When the attempt started; the oldest of a browser are dropped first.</param>
/// <param name="ExpiresAt">Ten minutes after it started (<c>Login:StateLifetime</c>).</param>
/// <param name="Sealed">The encrypted nonce, PKCE verifier and return path; opaque to the store.</param>
public sealed record PendingLogin(string StateHash, string BindingHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, byte[] Sealed);
