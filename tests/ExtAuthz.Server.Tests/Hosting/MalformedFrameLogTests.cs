using System.Text.Json;
using System.Text.RegularExpressions;
using ExtAuthz.Server.Operations;
using ExtAuthz.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// Bytes that are not a CheckRequest cost one folded log line a window, not the framework's two stack traces each:
/// 5,000 of them write a few lines, every one still accounted for by a count.
/// </summary>
public sealed partial class MalformedFrameLogTests
{
    private const int Frames = 5000;

    [Theory]
    [InlineData("Lean")]
    [InlineData("Generated")]
    public async Task Check_FiveThousandMalformedFrames_AreRefusedWithBoundedFoldedLogLines(string reader)
    {
        var log = new MemoryStream();
        var server = await ServerInstance.StartAsync([$"--Server:CheckReader={reader}"], builder => builder.Services.AddSingleton(sp =>
            new LogSink(log, 1 << 20, sp.GetRequiredService<OperationsMetrics>())));
        var invoker = server.Channel.CreateCallInvoker();
        var method = new Method<byte[], byte[]>(MethodType.Unary, "envoy.service.auth.v3.Authorization", "Check",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        var codes = new StatusCode[Frames];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, Frames).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                // Field 1, length 255, with one byte behind it: truncated.
                await invoker.AsyncUnaryCall(method, null, default, [0x0A, 0xFF, 0x01, (byte)i]);
            }
            catch (RpcException ex)
            {
                codes[i] = ex.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));
        await server.DisposeAsync();

        var text = System.Text.Encoding.UTF8.GetString(log.ToArray());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var first = lines.Count(l => l.GetProperty("event").GetInt32() == 5004);
        var repeated = lines.Where(l => l.GetProperty("event").GetInt32() == 5005)
            .Sum(l => long.Parse(Count().Match(l.GetProperty("message").GetString()!).Value));

        Assert.All(codes, code => Assert.Equal(StatusCode.InvalidArgument, code));
        Assert.Equal(Frames, first + repeated);
        Assert.True(log.Length < 64 * 1024, $"{log.Length} bytes of log for {Frames} frames");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("^\\d+")]
    private static partial Regex Count();
}
