using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>Everything a decision reads from a <see cref="CheckInput"/>, as text: two readers agree when their snapshots do.</summary>
internal static class InputSnapshot
{
    public static string Of(CheckInput input)
    {
        var slots = Enumerable.Range(0, input.Slots.Count).Select(i => $"{input.Slots.NameOf(i)}={input.GetHeader(i) ?? "<none>"}");
        return string.Join('\n', [
            $"http={input.HasHttp}", $"method={input.Method}", $"path={input.Path}", $"host={input.Host}", $"protocol={input.Protocol}",
            $"source={input.SourcePrincipal}", $"destination={input.DestinationPrincipal}", .. slots]);
    }
}
