namespace ExtAuthz.Cli;

/// <summary>
/// Walks a command's arguments as switches (<c>--json</c>) and flag/value pairs (<c>--path /x</c>), so every
/// command reports a missing value or an unknown flag the same way.
/// </summary>
internal static class FlagReader
{
    /// <param name="isSwitch">Applies a switch and returns true, or returns false when the flag takes a value.</param>
    /// <param name="applyValue">Applies a flag's value; returns an error, or null when the value was taken.</param>
    public static bool TryRead(ReadOnlySpan<string> args, Func<string, bool> isSwitch, Func<string, string, string?> applyValue, out string? error)
    {
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (isSwitch(flag))
            {
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{flag}: needs a value";
                return false;
            }

            error = applyValue(flag, args[++i]);
            if (error is not null)
            {
                return false;
            }
        }

        return true;
    }

    public static string Unknown(string flag) => $"unknown option '{flag}'";
}
