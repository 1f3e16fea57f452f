using System.Globalization;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>Reads one sample out of a Prometheus text scrape.</summary>
internal static class Scrape
{
    /// <summary>The value of the sample named exactly <paramref name="series"/> (name and labels as written), or null.</summary>
    public static double? Value(string scrape, string series)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
