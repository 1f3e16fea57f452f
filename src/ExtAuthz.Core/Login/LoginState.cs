using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExtAuthz.Core.Login;

/// <summary>
/// The <c>state</c> value of one attempt: <c>&lt;random&gt;.&lt;return&gt;.&lt;mac&gt;</c>. The random part makes it
/// unguessable and names the server-side attempt (by its hash); the return part carries the path to land on and
/// whether this attempt is already a restart, signed so that a lost attempt can be restarted once, cleanly, without
/// trusting anything the browser made up.
/// </summary>
internal sealed record LoginState(string Value, string ReturnPath, bool IsRestart)
{
    private const string Purpose = "login-state";

    public static LoginState Create(KeyRing ring, string returnPath, bool isRestart)
    {
        var random = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var carried = Base64Url.EncodeToString(Encoding.UTF8.GetBytes((isRestart ? "r" : "f") + returnPath));
        var signed = random + "." + carried;
        var mac = Base64Url.EncodeToString(ring.Sign(Purpose, Encoding.ASCII.GetBytes(signed)));
        return new LoginState(signed + "." + mac, returnPath, isRestart);
    }

    /// <summary>The state when it is ours and unaltered; null when malformed or forged.</summary>
    public static LoginState? Parse(KeyRing ring, string? value)
    {
        if (value is null || value.Length > 4096)
        {
            return null;
        }

        var parts = value.Split('.');
        if (parts.Length != 3 || parts[0].Length != 43)
        {
            return null;
        }

        try
        {
            var mac = Base64Url.DecodeFromChars(parts[2]);
            if (!ring.Verify(Purpose, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), mac))
            {
                return null;
            }

            var carried = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
            return carried.Length == 0 ? null : new LoginState(value, Login.ReturnPath.Safe(carried[1..]), carried[0] == 'r');
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
