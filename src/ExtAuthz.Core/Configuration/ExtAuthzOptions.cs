namespace ExtAuthz.Core.Configuration;

/// <summary>
/// Every configuration section (DESIGN §4), as plain classes. The host binds them from ASP.NET configuration
/// and then calls <see cref="ApplyDefaults"/>: a list given in configuration replaces its default.
/// </summary>
public sealed class ExtAuthzOptions
{
    public ServerOptions Server { get; set; } = new();

    public IdentityOptions Identity { get; set; } = new();

    public HeadersOptions Headers { get; set; } = new();

    public PolicyOptions Policy { get; set; } = new();

    public LoginOptions Login { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public RedisOptions Redis { get; set; } = new();

    public RevocationOptions Revocation { get; set; } = new();

    /// <summary>The workspace and sharing API (<c>SelfService:*</c>).</summary>
    public SelfServiceOptions SelfService { get; set; } = new();

    /// <summary>Fills every list the configuration left empty with its documented default.</summary>
    public void ApplyDefaults()
    {
        var defaultPublic = Policy.PublicPaths is not { Count: > 0 };
        Policy.PublicPaths = OrDefault(Policy.PublicPaths, PolicyOptions.DefaultPublicPaths);
        if (defaultPublic && Login.IsOidcEnabled())
        {
            // With our own login the login prefix is ours, not public (a configured list saying otherwise is refused).
            Policy.PublicPaths.RemoveAll(p => p.TrimEnd('/') == Login.PathPrefix.TrimEnd('/'));
        }

        Login.Oidc.Scopes = OrDefault(Login.Oidc.Scopes, LoginOidcOptions.DefaultScopes);
        Policy.ProbePaths = OrDefault(Policy.ProbePaths, PolicyOptions.DefaultProbePaths);
        Policy.GatewayPrincipals = OrDefault(Policy.GatewayPrincipals, PolicyOptions.DefaultGatewayPrincipals);
        Policy.AdminPaths = OrDefault(Policy.AdminPaths, PolicyOptions.DefaultAdminPaths);
        Policy.SafeMethods = OrDefault(Policy.SafeMethods, PolicyOptions.DefaultSafeMethods);
        if (Policy.ServiceCallers.Count == 0)
        {
            Policy.ServiceCallers = [.. ServiceCallerOptions.Defaults()];
        }
        Login.ApiPaths = OrDefault(Login.ApiPaths, LoginOptions.DefaultApiPaths);
        SelfService.TrustedCallers = OrDefault(SelfService.TrustedCallers, SelfServiceOptions.DefaultTrustedCallers);
        SelfService.IstioPolicyPrincipals = OrDefault(SelfService.IstioPolicyPrincipals, PolicyOptions.DefaultGatewayPrincipals);
        foreach (var issuer in Identity.Issuers)
        {
            issuer.Algorithms = OrDefault(issuer.Algorithms, IssuerOptions.DefaultAlgorithms);
        }
    }

    private static List<string> OrDefault(List<string>? configured, IReadOnlyList<string> defaults) =>
        configured is { Count: > 0 } ? configured : [.. defaults];
}

public sealed class ServerOptions
{
    public int GrpcPort { get; set; } = 9000;

    public int HttpPort { get; set; } = 8080;

    /// <summary>HTTP/1.1 port of the workspace and sharing API (kfam's port), open while <c>SelfService:Enabled</c>.</summary>
    public int ApiPort { get; set; } = 8081;

    /// <summary>Longer than Envoy's upstream idle timeout (1 h), so Envoy closes idle connections first.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMinutes(65);

    /// <summary>Envoy's own default is 1024 concurrent streams per upstream connection; Kestrel's is 100.</summary>
    public int MaxConcurrentStreams { get; set; } = 1024;

    /// <summary>Largest CheckRequest accepted; Envoy sends at most 60 KiB of headers plus any buffered body.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>How long shutdown waits for in-flight Checks after readiness has dropped.</summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The lean wire reader by default; <c>Generated</c> for the generated protobuf classes.</summary>
    public CheckReader CheckReader { get; set; } = CheckReader.Lean;

    /// <summary>Open connections the ops port holds at once; one more is closed at accept.</summary>
    public int OpsMaxConnections { get; set; } = 64;

    /// <summary>
    /// An ops-port connection with no bytes either way for this long is closed: Kestrel's own default keep-alive,
    /// since <see cref="KeepAliveTimeout"/> is long for Envoy's gRPC connections only.
    /// </summary>
    public TimeSpan OpsIdleTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>grpc.health.v1 Watch streams open at once on this server; one more is refused (RESOURCE_EXHAUSTED).</summary>
    public int HealthMaxWatches { get; set; } = 64;

    /// <summary>Watch streams open at once on one connection.</summary>
    public int HealthMaxWatchesPerConnection { get; set; } = 2;

    /// <summary>
    /// Rounds of synthetic Checks (three each) run before the service reports ready, so the first real Check does not
    /// pay the JIT; 0 reports ready as soon as the index has loaded.
    /// </summary>
    public int WarmUpRounds { get; set; } = 64;
}

public sealed class IdentityOptions
{
    public List<IssuerOptions> Issuers { get; set; } = [];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeyRefreshMinInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxTokenBytes { get; set; } = 16384;

    /// <summary>The realm named in <c>www-authenticate</c>.</summary>
    public string Realm { get; set; } = "kubeflow";

    /// <summary>Key-set refresh period when the provider sends no Cache-Control max-age (which is honoured within 1 min..1 h).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one discovery or key-set fetch may take before the last good key set is kept instead.</summary>
    public TimeSpan KeyFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most validated tokens kept in memory.</summary>
    public int TokenCacheMaxEntries { get; set; } = 100_000;

    /// <summary>Most memory (estimated) the validated-token cache may hold.</summary>
    public long TokenCacheMaxBytes { get; set; } = 64L * 1024 * 1024;

    public DevIssuerOptions DevIssuer { get; set; } = new();
}

public sealed class IssuerOptions
{
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["RS256"];

    public string Issuer { get; set; } = string.Empty;

    public string? JwksUri { get; set; }

    public List<string> Audiences { get; set; } = [];

    public List<string> Algorithms { get; set; } = [];

    /// <summary>The header carrying this issuer's token; "authorization" means <c>Authorization: Bearer</c>.</summary>
    public string Header { get; set; } = "authorization";

    public string? Cookie { get; set; }

    public string UserClaim { get; set; } = "email";

    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Null means <c>Headers:UserIdPrefix</c>.</summary>
    public string? UserIdPrefix { get; set; }

    /// <summary>Null means true, except for loopback and in-cluster <c>*.svc</c> hosts.</summary>
    public bool? RequireHttps { get; set; }
}

public sealed class DevIssuerOptions
{
    public bool Enabled { get; set; }

    /// <summary>The <c>iss</c> of development tokens; a URN so it can never collide with a real provider.</summary>
    public string Issuer { get; set; } = "urn:extauthz:dev";

    /// <summary>The <c>aud</c> of development tokens.</summary>
    public string Audience { get; set; } = "extauthz-dev";

    /// <summary>Longest lifetime the mint endpoint grants; also the lifetime of the browser sign-in's ID tokens.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The secret the browser sign-in's one client (<c>client_id</c> = <see cref="Audience"/>) must present at the
    /// token endpoint; unset = a public client, PKCE alone binds the code.
    /// </summary>
    public string? ClientSecret { get; set; }
}

public sealed class HeadersOptions
{
    public string UserId { get; set; } = "kubeflow-userid";

    public string UserIdPrefix { get; set; } = string.Empty;

    public string Groups { get; set; } = "kubeflow-groups";
}

public sealed class PolicyOptions
{
    public static readonly IReadOnlyList<string> DefaultPublicPaths = ["/dex/", "/oauth2/"];
    public static readonly IReadOnlyList<string> DefaultProbePaths = ["/healthz", "/metrics", "/wait-for-drain"];

    /// <summary>Kubeflow's ISTIO_INGRESS_GATEWAY_PRINCIPAL and KFP_UI_PRINCIPAL: the workloads that relay users' requests.</summary>
    public static readonly IReadOnlyList<string> DefaultGatewayPrincipals =
    [
        "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
        "cluster.local/ns/kubeflow/sa/ml-pipeline-ui",
    ];
    public static readonly IReadOnlyList<string> DefaultAdminPaths = ["/kfam/"];
    public static readonly IReadOnlyList<string> DefaultSafeMethods = ["GET", "HEAD", "OPTIONS"];

    public string Source { get; set; } = "Directory";

    public string Directory { get; set; } = "samples/cluster";

    public List<string> ClusterAdmins { get; set; } = [];

    public List<string> PublicPaths { get; set; } = [];

    /// <summary>Paths open at a workload's own sidecar only, never through a gateway (<c>Policy:ProbePaths</c>).</summary>
    public List<string> ProbePaths { get; set; } = [];

    /// <summary>Workloads that relay end users' requests (<c>Policy:GatewayPrincipals</c>): never a probe caller.</summary>
    public List<string> GatewayPrincipals { get; set; } = [];

    public List<string> AdminPaths { get; set; } = [];

    public List<string> SafeMethods { get; set; } = [];

    public List<string> KServeDomains { get; set; } = [];

    /// <summary>Inference host templates (<c>{name}.{namespace}.{domain}</c>); none configured: the catalogue's.</summary>
    public List<string> InferenceHostTemplates { get; set; } = [];

    /// <summary>Hosts of the dashboard and gateway: never read as inference hosts.</summary>
    public List<string> DashboardHosts { get; set; } = [];

    /// <summary>Route catalogue files of the operator's own, read after the shipped catalogue (same format).</summary>
    public List<string> RouteCatalogues { get; set; } = [];

    /// <summary>What a path under no catalogue app gets: <c>Authenticated</c> (Kubeflow's gateway behaviour) or <c>Deny</c>.</summary>
    public string UnknownRoutes { get; set; } = "Authenticated";

    public bool DryRun { get; set; }

    /// <summary>The ClusterRoles that grant admin, edit and view (<c>Policy:Roles:Admin|Edit|View</c>).</summary>
    public RoleNamesOptions Roles { get; set; } = new();

    /// <summary>Workloads allowed without a user token (<c>Policy:ServiceCallers:N</c>); default: the notebook controller.</summary>
    public List<ServiceCallerOptions> ServiceCallers { get; set; } = [];

    /// <summary>Extra namespace shapes beside the route catalogue: <c>/myapp/{ns}/</c> or <c>/myapp/?param={ns}</c>.</summary>
    public List<string> NamespaceRules { get; set; } = [];

    /// <summary>How long the Directory source waits after a change before re-reading (edits come in bursts).</summary>
    public TimeSpan DirectoryDebounce { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often the Directory source also checks for changes a file watcher missed (mounted ConfigMaps).</summary>
    public TimeSpan DirectoryPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Kubernetes source (<c>Policy:Kubernetes:*</c>).</summary>
    public KubernetesSourceOptions Kubernetes { get; set; } = new();
}

public sealed class LoginOptions
{
    public static readonly IReadOnlyList<string> DefaultApiPaths = ["/api/", "/apis/", "/ml_metadata/", "/notebook/*/*/api/"];

    public string? Url { get; set; }

    public List<string> ApiPaths { get; set; } = [];

    /// <summary>Our own OIDC code-flow login inside Check (<c>Login:Oidc:*</c>); off while its issuer is empty. Exclusive with <see cref="Url"/>.</summary>
    public LoginOidcOptions Oidc { get; set; } = new();

    /// <summary>Browser sessions of our own login (<c>Login:Session:*</c>).</summary>
    public LoginSessionOptions Session { get; set; } = new();

    /// <summary>Where the login paths live: <c>{prefix}/start</c>, <c>/callback</c>, <c>/sign_out</c>, <c>/userinfo</c>.</summary>
    public string PathPrefix { get; set; } = "/oauth2";

    /// <summary>
    /// A file (a mounted Secret) with one key a line, <c>id:base64</c> of at least 32 random bytes: the first signs and
    /// encrypts, every one verifies and decrypts, so keys rotate. Unset: a random key made at start (one replica only).
    /// </summary>
    public string? KeyRingFile { get; set; }

    /// <summary>Forward the session's ID token upstream as <c>authorization: Bearer</c> (for a kept RequestAuthentication).</summary>
    public bool ForwardIdToken { get; set; }

    /// <summary>How long a started login may take before its state is gone.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Pending login attempts kept per browser; one more drops that browser's oldest.</summary>
    public int MaxAttemptsPerBrowser { get; set; } = 10;

    /// <summary>The browser-binding cookie that ties a login attempt to the browser that started it.</summary>
    public string BindingCookieName { get; set; } = "__Host-extauthz-bind";

    /// <summary>The longest a token-endpoint call may take; the login then gets a 502 page and other Checks never wait.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest one session or login-state store call may take (well under Envoy's 0.5 s).</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>True when our own login is configured.</summary>
    public bool IsOidcEnabled() => !string.IsNullOrEmpty(Oidc.Issuer);
}

public sealed class AuditOptions
{
    public double AllowSampleRate { get; set; } = 0.01;

    /// <summary>Where decision lines go: <c>stdout</c> (collected by Kubernetes), <c>stderr</c> or <c>none</c>.</summary>
    public string Output { get; set; } = "stdout";

    /// <summary>Lines waiting for the writer; past this a line is dropped and counted, never waited for.</summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>
    /// Bytes the waiting lines may hold (their path, detail and user, counted when queued, cut to what a line shows);
    /// past this a line is dropped and counted, as when <see cref="QueueCapacity"/> is reached.
    /// </summary>
    public long QueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Identical decision lines (same outcome, reason, user, namespace, method and path) within this window after the
    /// first are folded into one line with a <c>repeated</c> count, written when the window ends. Zero writes one line
    /// per logged decision.
    /// </summary>
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class RedisOptions
{
    public string? Configuration { get; set; }

    /// <summary>The pub/sub channel on which replicas announce revocations.</summary>
    public string Channel { get; set; } = "extauthz:revocations";

    /// <summary>The hash that stores every revocation, read at start and after a reconnect.</summary>
    public string Key { get; set; } = "extauthz:revocations";

    /// <summary>How often the stored set is read again, in case a message was missed.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);
}
