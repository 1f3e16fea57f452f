using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using ExtAuthz.Load.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Operations;
using Google.Protobuf;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>
/// The hot path assembled in process as the host assembles it (options defaults, header slots, authorizer,
/// writer, response cache, handler), with one realistic Istio-shaped request for the caller.
/// </summary>
internal sealed class WarmCheck
{
    public WarmCheck(ExtAuthzOptions options, HeaderSlots slots, IAuthenticator authenticator, AccessIndex index, string method, string path, string? token)
    {
        Slots = slots;
        Names = new SlotNames(Slots);
        Authorizer = DecisionPipeline.Build(options, authenticator, index, new RevocationSet()).Authorizer;
        var writer = new CheckResponseWriter(options);
        Responses = new ResponseCache(writer);
        // Step 9 as the host wires it: metrics, the allow sample and the decision-log queue, drained by a reader on
        // another thread as the host's writer drains it, so a logged deny pays for a real hand-off, not a full queue.
        var metrics = new OperationsMetrics();
        var queue = new AuditQueue(options.Audit, metrics);
        _ = Task.Run(async () =>
        {
            await foreach (var _ in queue.Reader.ReadAllAsync())
            {
            }
        });
        var recorder = new DecisionRecorder(metrics, queue, new AuditSampler(options.Audit), TimeProvider.System);
        Handler = new CheckHandler(Authorizer, Responses, Slots, recorder);

        Request = IstioCheckRequest.Create(method, path, token);
        RequestBytes = Request.ToByteArray();
        Input = new CheckInput(Slots);
        CheckRequestReader.Read(Request, Input);
    }

    public HeaderSlots Slots { get; }

    public SlotNames Names { get; }

    public Authorizer Authorizer { get; }

    public ResponseCache Responses { get; }

    internal CheckHandler Handler { get; }

    public CheckRequest Request { get; }

    public byte[] RequestBytes { get; }

    /// <summary>The request already read, for the Core decision alone.</summary>
    public CheckInput Input { get; }
}
