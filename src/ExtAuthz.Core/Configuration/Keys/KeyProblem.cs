namespace ExtAuthz.Core.Configuration.Keys;

/// <summary>
/// A configuration key that fits no known key, or a value that does not read as its key's type. The message names
/// the full key first (<c>Identity:Issuers:0:RequireHttps: …</c>), like every other configuration error.
/// </summary>
/// <param name="IsUnknownSection">The first part of the key is no known section (<c>Polcy:DryRun</c>).</param>
/// <param name="HasSuggestion">The message names a known key the mistaken one was likely meant to be.</param>
internal readonly record struct KeyProblem(string Message, bool IsUnknownSection, bool HasSuggestion);
