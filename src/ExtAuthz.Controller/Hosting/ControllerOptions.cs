namespace ExtAuthz.Controller.Hosting;

/// <summary>Configuration of the Profile controller (section <c>Controller</c>); checked whole by <see cref="ControllerOptionsValidator"/>.</summary>
internal sealed class ControllerOptions
{
    /// <summary>The API server URL; empty means in-cluster configuration, else the kubeconfig.</summary>
    public string? ApiServer { get; set; }

    /// <summary>The server-side-apply field manager every write uses.</summary>
    public string FieldManager { get; set; } = "extauthz-profile-controller";

    /// <summary>The Profile version listed and watched: v1 (storage) or v1beta1; both are read either way.</summary>
    public string ProfileVersion { get; set; } = "v1";

    public int Workers { get; set; } = 4;

    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every Profile is queued again this often; an unchanged cluster costs no write.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Authorizer (our CUSTOM policy and a namespace-wide ALLOW), Compatibility (Kubeflow's ns-owner-access-istio) or None.</summary>
    public string MeshMode { get; set; } = "Authorizer";

    public string AuthorizerProvider { get; set; } = "extauthz";

    public string UserIdHeader { get; set; } = "kubeflow-userid";

    public string UserIdPrefix { get; set; } = "";

    public string IngressGatewayPrincipal { get; set; } = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    public string KfpUiPrincipal { get; set; } = "cluster.local/ns/kubeflow/sa/ml-pipeline-ui";

    public string NotebookControllerPrincipal { get; set; } = "cluster.local/ns/kubeflow/sa/notebook-controller-service-account";

    /// <summary>A YAML map of namespace labels (value "" removes a label); re-read when it changes. Empty: Kubeflow's defaults.</summary>
    public string? NamespaceLabelsFile { get; set; }

    /// <summary>Namespaces no Profile may take, beyond kube-*, istio-system, kubeflow and default.</summary>
    public List<string> SystemNamespaces { get; set; } = [];

    /// <summary>Attempts at revoking a deleted Profile's plugins before the finalizer goes anyway (and status says so).</summary>
    public int RevokeAttempts { get; set; } = 5;

    public int OpsPort { get; set; } = 8080;

    public LeaderElectionOptions LeaderElection { get; set; } = new();

    public WorkloadIdentityOptions WorkloadIdentity { get; set; } = new();

    public AwsIamOptions AwsIam { get; set; } = new();
}

/// <summary>The AWS IRSA plugin's IAM endpoint, the cluster's OIDC provider and the trust-policy size limit.</summary>
internal sealed class AwsIamOptions
{
    public string IamEndpoint { get; set; } = "https://iam.amazonaws.com/";

    public string StsEndpoint { get; set; } = "https://sts.amazonaws.com/";

    /// <summary>The cluster's IAM OIDC provider ARN; empty: the first web-identity statement's provider in each role.</summary>
    public string? OidcProviderArn { get; set; }

    /// <summary>The role's trust-policy size quota (ACLSizePerRole).</summary>
    public int TrustPolicySizeLimit { get; set; } = 2048;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The Lease that makes one replica the only writer.</summary>
internal sealed class LeaderElectionOptions
{
    public bool Enabled { get; set; } = true;

    public string Namespace { get; set; } = "kubeflow";

    public string LeaseName { get; set; } = "extauthz-profile-controller";

    /// <summary>This replica's name in the Lease; empty means the pod name (HOSTNAME).</summary>
    public string? Identity { get; set; }

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The GCP Workload Identity plugin's IAM endpoint and credentials.</summary>
internal sealed class WorkloadIdentityOptions
{
    public string IamEndpoint { get; set; } = "https://iam.googleapis.com";

    /// <summary>Where an OAuth2 access token comes from (the GKE metadata server by default).</summary>
    public string TokenUrl { get; set; } = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";

    /// <summary>The cluster's project (its workload pool is <c>&lt;project&gt;.svc.id.goog</c>); empty: the Google service account's project.</summary>
    public string? ClusterProject { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
