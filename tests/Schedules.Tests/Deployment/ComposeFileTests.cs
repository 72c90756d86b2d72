using YamlDotNet.RepresentationModel;

namespace Schedules.Tests.Deployment;

/// <summary>
/// No Docker engine runs where the tests run, so the compose file is kept honest here: it must name the settings
/// the service really reads, and build from a Dockerfile that publishes the service.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Compose_RunsPostgresAndTheServiceBuiltFromTheDockerfile()
    {
        var services = Services();

        Assert.StartsWith("postgres:", Scalar(services, "postgres", "image"), StringComparison.Ordinal);
        Assert.Equal(".", Scalar(services, "schedules", "build"));
        Assert.True(File.Exists(Path.Combine(Root, "Dockerfile")));
        var ports = (YamlSequenceNode)Service(services, "schedules")["ports"];
        Assert.Contains(ports.Children, port => port.ToString().EndsWith(":8779", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_ConfiguresTheServiceWithKeysItReads()
    {
        var environment = (YamlMappingNode)Service(Services(), "schedules")["environment"];
        var keys = environment.Children.Keys
            .Select(k => k.ToString().Replace("__", ":", StringComparison.Ordinal))
            .ToList();
        var settings = File.ReadAllText(Path.Combine(Root, "src", "Schedules.Api", "appsettings.json"));

        Assert.Equal("postgres", environment["Database__Provider"].ToString());
        Assert.Contains("ConnectionStrings:Schedules", keys);
        Assert.Contains("Identity:Users:0:ProjectId", keys);
        Assert.All(keys, key => Assert.Contains($"\"{key.Split(':')[0]}\":", settings, StringComparison.Ordinal));
        var connection = environment["ConnectionStrings__Schedules"].ToString();
        Assert.Contains("Host=postgres", connection, StringComparison.Ordinal);
        Assert.Contains($"Password={Scalar(Services(), "postgres", "environment", "POSTGRES_PASSWORD")}", connection,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_RunsASampleMariaDbWithItsBinaryLog_AndTheServiceReachesItThroughAProfile()
    {
        var services = Services();
        var environment = (YamlMappingNode)Service(services, "schedules")["environment"];
        string Setting(string key) => environment[key].ToString();

        Assert.StartsWith("mariadb:", Scalar(services, "mariadb", "image"), StringComparison.Ordinal);
        var command = ((YamlSequenceNode)Service(services, "mariadb")["command"]).Select(c => c.ToString()).ToList();
        Assert.Contains(command, c => c.StartsWith("--log-bin", StringComparison.Ordinal));
        Assert.Contains("--binlog-format=ROW", command);
        Assert.Contains("--server-id=1", command);
        Assert.Equal("mariadb", Setting("Instances__Profiles__orders__Host"));
        Assert.Equal("3306", Setting("Instances__Profiles__orders__Port"));
        Assert.Equal(Scalar(services, "mariadb", "environment", "SCHEDULES_BACKUP_PASSWORD"),
            Setting("Instances__Profiles__orders__Password"));

        var init = ((YamlSequenceNode)Service(services, "mariadb")["volumes"])
            .Select(v => v.ToString().Split(':'))
            .Single(v => v[1].StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
        var script = File.ReadAllText(Path.Combine(Root, init[0]));
        Assert.Contains($"'{Setting("Instances__Profiles__orders__User")}'@'%'", script, StringComparison.Ordinal);
        Assert.Contains("${SCHEDULES_BACKUP_PASSWORD}", script, StringComparison.Ordinal);
        Assert.Contains("REPLICATION SLAVE", script, StringComparison.Ordinal);

        var verify = Setting("Verification__Profile");
        Assert.Equal("mariadb-verify", Setting($"Instances__Profiles__{verify}__Host"));
        Assert.Equal(Scalar(services, "mariadb-verify", "environment", "MARIADB_ROOT_PASSWORD"),
            Setting($"Instances__Profiles__{verify}__Password"));
        var dependsOn = (YamlMappingNode)Service(services, "schedules")["depends_on"];
        Assert.Contains(new YamlScalarNode("mariadb"), dependsOn.Children.Keys);
        Assert.Contains(new YamlScalarNode("mariadb-verify"), dependsOn.Children.Keys);
    }

    [Fact]
    public void Dockerfile_InstallsTheMariaDbClientTools()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

        Assert.Contains("apt-get install -y --no-install-recommends mariadb-client", dockerfile,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_PublishesTheServiceProject()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

        Assert.Contains("dotnet publish src/Schedules.Api", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Schedules.Api.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Root, "src", "Schedules.Api", "Schedules.Api.csproj")));
    }

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static YamlMappingNode Service(YamlMappingNode services, string name) => (YamlMappingNode)services[name];

    private static string Scalar(YamlMappingNode services, string service, params string[] path)
    {
        YamlNode node = Service(services, service);
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }

        return node.ToString();
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Schedules.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Schedules.sln not found above the tests.");
    }
}
