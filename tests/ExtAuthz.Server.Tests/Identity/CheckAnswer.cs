using Envoy.Service.Auth.V3;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>What a test asserts about a CheckResponse: the HTTP status Envoy would send, the reason and the detail.</summary>
internal readonly record struct CheckAnswer(int Status, string Reason, string? Detail, string? User)
{
    public static CheckAnswer From(CheckResponse response)
    {
        var status = response.HttpResponseCase == CheckResponse.HttpResponseOneofCase.DeniedResponse
            ? (int)response.DeniedResponse.Status.Code
            : 200;
        var fields = response.DynamicMetadata.Fields;
        return new CheckAnswer(
            status,
            fields["reason"].StringValue,
            fields.TryGetValue("detail", out var detail) ? detail.StringValue : null,
            fields.TryGetValue("user", out var user) ? user.StringValue : null);
    }
}
