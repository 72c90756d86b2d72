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
        var keys = environment.Children.Keys.Select(k => k.ToString().Replace("__", ":", StringComparison.Ordinal)).ToList();
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
