namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>A token request: the form fields, and the client credentials of an <c>Authorization: Basic</c> header if any.</summary>
internal sealed record DevTokenExchange(IReadOnlyList<KeyValuePair<string, string>> Form, string? BasicClientId, string? BasicSecret);
