using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Fleet.OmegaWatt.Naming;
using Fleet.Trust.Certificates;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet certs</c>: the lab's certificate authority and the certificates of silos and agents (mutual TLS in the cluster).</summary>
internal static class CertsCommand
{
    private const string DirectoryVariable = "FLEET_CERTS";

    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "Directory for the lab's authority (created if missing): ca.crt and ca.key (keep ca.key offline)." };
        var name = new Option<string>("--name") { Description = "The authority's name.", DefaultValueFactory = _ => "Fleet lab CA" };
        var years = new Option<int>("--years") { Description = "Years the authority is valid.", DefaultValueFactory = _ => 10 };
        var init = new Command("init", """
            Create the lab's certificate authority in DIR: ca.crt (give it to every silo and agent)
            and ca.key (only `fleet certs issue` needs it; keep it off the cluster's hosts).

            Example:
              fleet certs init /etc/fleet/lab-ca
            """)
        { directory, name, years };
        init.SetAction((parse, _) => CommandRunner.RunAsync("certs init", () =>
        {
            var path = Path.GetFullPath(parse.GetValue(directory)!);
            var key = Path.Combine(path, LabFiles.AuthorityKey);
            if (File.Exists(key) || File.Exists(Path.Combine(path, LabFiles.AuthorityCertificate)))
            {
                throw new CliException($"{path} already holds a lab authority ({LabFiles.AuthorityCertificate}, {LabFiles.AuthorityKey}); it is never overwritten");
            }

            if (parse.GetValue(years) is < 1 or > 30)
            {
                throw new CliException("--years must be 1 to 30");
            }

            Directory.CreateDirectory(path);
            using var authority = LabAuthority.CreateAuthority(parse.GetValue(name)!, DateTimeOffset.UtcNow, TimeSpan.FromDays(365.25 * parse.GetValue(years)));
            PemFiles.Write(authority, Path.Combine(path, LabFiles.AuthorityCertificate), key);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lab authority '{authority.Subject}' valid until {authority.NotAfter.ToUniversalTime():yyyy-MM-dd} UTC"));
            Console.WriteLine($"  {Path.Combine(path, LabFiles.AuthorityCertificate)}  (every silo and agent: Fleet__Tls__CaFile, --tls-ca)");
            Console.WriteLine($"  {key}  (secret: only for `fleet certs issue`)");
            return Task.FromResult(0);
        }));

        return new Command("certs", """
            The lab's certificate authority and the certificates of silos and agents.

            Examples:
              fleet certs init /etc/fleet/lab-ca
              fleet certs issue --silo silo-1 --dir /etc/fleet/lab-ca
            """)
        { init, Issue() };
    }

    private static Command Issue()
    {
        var silo = new Option<string?>("--silo") { Description = "Issue a silo's certificate (serves the silo and gateway ports, joins the cluster).", HelpName = "NAME" };
        var agent = new Option<string?>("--agent") { Description = "Issue an agent's certificate for this USB host (connects to gateways; writes the boxes it is enrolled for).", HelpName = "HOST" };
        var directory = new Option<string?>("--dir") { Description = $"The authority's directory (default: ${DirectoryVariable}); the certificate and key are written there.", HelpName = "DIR" };
        var dns = new Option<string[]>("--dns") { Description = "Another DNS name the certificate is valid for (repeatable), e.g. the name HTTPS clients use.", HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var ip = new Option<string[]>("--ip") { Description = "An IP address the certificate is valid for (repeatable), e.g. 127.0.0.1.", HelpName = "ADDRESS", AllowMultipleArgumentsPerToken = false };
        var days = new Option<int>("--days") { Description = "Days the certificate is valid (rotate before then: SECURITY.md).", DefaultValueFactory = _ => 397 };
        var issue = new Command("issue", """
            Issue a certificate signed by the lab's authority, for a silo or an agent's host. Writes
            ROLE-NAME.crt and ROLE-NAME.key (owner-only) into the authority's directory.

            Examples:
              fleet certs issue --silo silo-1 --dir /etc/fleet/lab-ca --dns silo-1.lab.example --ip 127.0.0.1
              fleet certs issue --agent usb-host-3 --dir /etc/fleet/lab-ca
            """)
        { silo, agent, directory, dns, ip, days };
        issue.SetAction((parse, _) => CommandRunner.RunAsync("certs issue", () =>
        {
            var (role, name) = (parse.GetValue(silo), parse.GetValue(agent)) switch
            {
                ({ } s, null) => (CertificateRole.Silo, s),
                (null, { } a) => (CertificateRole.Agent, a),
                _ => throw new CliException("give exactly one of --silo NAME or --agent HOST", 2),
            };
            if (!IdRule.IsValid(name))
            {
                throw new CliException(IdRule.Invalid(name, Roles.Name(role) + " name"), 2);
            }

            if (parse.GetValue(days) is < 1 or > 3650)
            {
                throw new CliException("--days must be 1 to 3650");
            }

            var addresses = (parse.GetValue(ip) ?? []).Select(text => IPAddress.TryParse(text, out var address) ? address : throw new CliException($"--ip '{text}' is not an IP address", 2)).ToList();
            var path = parse.GetValue(directory) ?? Environment.GetEnvironmentVariable(DirectoryVariable)
                ?? throw new CliException($"give --dir DIR (the directory of `fleet certs init`) or set {DirectoryVariable}", 2);
            var certificateFile = Path.Combine(path, LabFiles.Certificate(role, name));
            var keyFile = Path.Combine(path, LabFiles.Key(role, name));
            if (File.Exists(keyFile))
            {
                throw new CliException($"{keyFile} exists: remove the old certificate and key first to issue a new one (rotation: SECURITY.md)");
            }

            using var authority = LoadAuthority(path);
            using var certificate = LabAuthority.Issue(authority, role, name, parse.GetValue(dns) ?? [], addresses, DateTimeOffset.UtcNow, TimeSpan.FromDays(parse.GetValue(days)));
            PemFiles.Write(certificate, certificateFile, keyFile);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Roles.Name(role)} certificate '{certificate.Subject}' valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd} UTC"));
            Console.WriteLine($"  {certificateFile}");
            Console.WriteLine($"  {keyFile}  (secret: copy it to that host only)");
            if (role == CertificateRole.Agent)
            {
                Console.WriteLine($"then let it write its boxes: fleet agents allow {name} --box BOX");
            }

            return Task.FromResult(0);
        }));
        return issue;
    }

    private static X509Certificate2 LoadAuthority(string path)
    {
        try
        {
            return PemFiles.LoadWithKey(Path.Combine(path, LabFiles.AuthorityCertificate), Path.Combine(path, LabFiles.AuthorityKey));
        }
        catch (Exception error) when (error is FileNotFoundException or InvalidDataException)
        {
            throw new CliException($"{error.Message} (create the authority with `fleet certs init {path}`)");
        }
    }
}
