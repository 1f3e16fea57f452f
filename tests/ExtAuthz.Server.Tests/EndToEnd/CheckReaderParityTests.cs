using ExtAuthz.Server.Tests.Wire;
using ExtAuthz.Testing;
using Grpc.Core;

namespace ExtAuthz.Server.Tests.EndToEnd;

/// <summary>The same golden request bytes sent to a server with each <c>Server:CheckReader</c> get the same answer bytes.</summary>
public sealed class CheckReaderParityTests
{
    private static readonly Method<byte[], byte[]> s_check = new(MethodType.Unary, "envoy.service.auth.v3.Authorization", "Check",
        Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private static readonly Method<byte[], byte[]> s_checkV2 = new(MethodType.Unary, "envoy.service.auth.v2.Authorization", "Check",
        Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    [Fact]
    public async Task Check_GoldenBytes_LeanAndGeneratedServersAnswerTheSameBytes()
    {
        await using var lean = await ServerInstance.StartAsync(["--Server:CheckReader=Lean"]);
        await using var generated = await ServerInstance.StartAsync(["--Server:CheckReader=Generated"]);
        byte[][] goldens = [WireGoldenTests.IstioRequestBytes(), WireGoldenTests.HeaderMapRequestBytes(), []];

        foreach (var golden in goldens)
        {
            foreach (var method in new[] { s_check, s_checkV2 })
            {
                var fromLean = await lean.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, golden);
                var fromGenerated = await generated.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, golden);

                Assert.NotEmpty(fromLean);
                Assert.Equal(fromGenerated, fromLean);
            }
        }
    }
}
