using System.ComponentModel;
using System.Globalization;

namespace ExtAuthz.Core.Configuration.Keys;

/// <summary>
/// Whether a configuration value reads as its key's type, converted as the configuration binder converts it (the
/// type's own <see cref="TypeConverter"/>), and if not, the problem in words with the form expected.
/// </summary>
internal static class ValueForms
{
    /// <summary>Null when <paramref name="value"/> reads as <paramref name="type"/>; else what is wrong and what is expected.</summary>
    public static string? Check(Type type, string value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string) || (value.Length == 0 && target != type))
        {
            // An empty value makes an optional setting unset.
            return null;
        }

        if (value.Length == 0)
        {
            return $"is empty; expected {Expected(target)}";
        }

        if (target == typeof(TimeSpan) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days))
        {
            return $"'{value}' would mean {days} days; expected {Expected(target)}";
        }

        if (Converts(target, value, out var converted) && (!target.IsEnum || Enum.IsDefined(target, converted!)))
        {
            return null;
        }

        return $"'{value}' is not {Expected(target)}";
    }

    private static bool Converts(Type type, string value, out object? converted)
    {
        try
        {
            converted = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException
            or InvalidCastException || ex.InnerException is FormatException or OverflowException)
        {
            converted = null;
            return false;
        }
    }

    private static string Expected(Type type)
    {
        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(TimeSpan))
        {
            return "a duration [d.]hh:mm:ss[.fff] (00:00:30 is 30 seconds, 1.00:00:00 a day)";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number, e.g. 0.01";
        }

        if (type.IsPrimitive && type != typeof(char))
        {
            return $"a whole number from {type.GetField("MinValue")!.GetValue(null)} to {type.GetField("MaxValue")!.GetValue(null)}";
        }

        return type == typeof(Uri) ? "a URL" : $"a {type.Name}";
    }
}
