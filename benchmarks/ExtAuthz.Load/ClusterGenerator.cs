using System.Globalization;
using System.Text;

namespace ExtAuthz.Load;

/// <summary>
/// A synthetic Kubeflow cluster for the directory source, in <c>kubectl get -o yaml</c> shape: profile
/// <c>ns-NNNNN</c> is owned by <c>userNNNNN@example.com</c> (its Namespace carries that owner annotation, so the Profile
/// is adopted), and RoleBindings make the next users of the ring
/// contributors (the first edit, then view, alternating). So user 2 may edit in ns-00001 and a user far away in the
/// ring has no access there.
/// </summary>
internal static class ClusterGenerator
{
    public static string Namespace(int i) => $"ns-{i:D5}";

    public static string User(int i) => $"user{i:D5}@example.com";

    public static int Run(string[] args)
    {
        var settings = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0].TrimStart('-'), p => p.ElementAtOrDefault(1) ?? "");
        var folder = settings["out"];
        var profiles = int.Parse(settings.GetValueOrDefault("profiles", "10000"), CultureInfo.InvariantCulture);
        var bindings = int.Parse(settings.GetValueOrDefault("bindings", "30000"), CultureInfo.InvariantCulture);
        Write(folder, profiles, bindings);
        Console.WriteLine($"{profiles} profiles and {bindings} role bindings in {folder}");
        return 0;
    }

    public static void Write(string folder, int profiles, int bindings)
    {
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "*.yaml"))
        {
            File.Delete(old);
        }

        using (var writer = new StreamWriter(Path.Combine(folder, "profiles.yaml"), false, new UTF8Encoding(false)))
        {
            for (var i = 1; i <= profiles; i++)
            {
                WriteProfile(writer, i);
            }
        }

        using (var writer = new StreamWriter(Path.Combine(folder, "namespaces.yaml"), false, new UTF8Encoding(false)))
        {
            for (var i = 1; i <= profiles; i++)
            {
                WriteNamespace(writer, i);
            }
        }

        var perProfile = Math.Max(1, (bindings + profiles - 1) / profiles);
        const int PerFile = 20_000;
        StreamWriter? file = null;
        var written = 0;
        for (var i = 1; i <= profiles && written < bindings; i++)
        {
            for (var k = 1; k <= perProfile && written < bindings; k++, written++)
            {
                if (written % PerFile == 0)
                {
                    file?.Dispose();
                    file = new StreamWriter(Path.Combine(folder, $"rolebindings-{written / PerFile:D2}.yaml"), false, new UTF8Encoding(false));
                }

                var contributor = ((i - 1 + k) % profiles) + 1;
                WriteBinding(file!, i, contributor, k % 2 == 1 ? "edit" : "view");
            }
        }

        file?.Dispose();
    }

    private static void WriteProfile(TextWriter w, int i)
    {
        w.Write($"""
            apiVersion: kubeflow.org/v1
            kind: Profile
            metadata:
              name: {Namespace(i)}
            spec:
              owner:
                kind: User
                name: {User(i)}
            ---

            """);
    }

    /// <summary>The Namespace the profile controller made for profile <paramref name="i"/>: its owner annotation adopts the Profile.</summary>
    private static void WriteNamespace(TextWriter w, int i)
    {
        w.Write($"""
            apiVersion: v1
            kind: Namespace
            metadata:
              annotations:
                owner: {User(i)}
              labels:
                app.kubernetes.io/part-of: kubeflow-profile
                istio-injection: enabled
                kubernetes.io/metadata.name: {Namespace(i)}
              name: {Namespace(i)}
            ---

            """);
    }

    private static void WriteBinding(TextWriter w, int profile, int user, string role)
    {
        var name = $"user-{User(user).Replace('@', '-').Replace('.', '-')}-clusterrole-{role}";
        w.Write($"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: {name}
              namespace: {Namespace(profile)}
              annotations:
                role: {role}
                user: {User(user)}
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: kubeflow-{role}
            subjects:
            - apiGroup: rbac.authorization.k8s.io
              kind: User
              name: {User(user)}
            ---

            """);
    }
}
