namespace ExtAuthz.Core.Login;

/// <summary>
/// Set-Cookie values for our cookies. Every one is <c>HttpOnly; Secure; SameSite=Lax; Path=/</c> with no Domain (what
/// the <c>__Host-</c> prefix requires), and an expiring one repeats exactly those attributes so the browser drops the
/// very cookie it holds.
/// </summary>
internal static class LoginCookies
{
    private const string Attributes = "; Path=/; Secure; HttpOnly; SameSite=Lax";

    public static string Set(string name, string value, TimeSpan maxAge) =>
        $"{name}={value}; Max-Age={(long)maxAge.TotalSeconds}{Attributes}";

    public static string Expire(string name) => $"{name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT{Attributes}";
}
