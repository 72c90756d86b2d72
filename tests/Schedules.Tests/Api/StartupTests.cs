using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Schedules.Tests.Api;

public sealed class StartupTests
{
    [Fact]
    public void Startup_StopsWithAMessage_WhenNoUsersAreConfigured()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Schedules", "Data Source=:memory:");
            builder.UseSetting("Database:MigrateOnStartup", "false");
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Identity:Users", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database:Provider", "oracle", "Database:Provider must be 'sqlite' or 'postgres'")]
    [InlineData("RateLimits:Get", "-1", "Get")]
    [InlineData("Logging:Format", "xml", "Logging:Format must be 'text' or 'json'")]
    [InlineData("Verification:Profile", "nowhere",
        "Verification:Profile names 'nowhere', which is not one of Instances:Profiles.")]
    [InlineData("Instances:Profiles:orders:Port", "3306", "Instances:Profiles:orders:Host is required.")]
    [InlineData("Instances:Profiles:orders:PasswordFile", "/no/such/file",
        "Instances:Profiles:orders:PasswordFile names a file that does not exist.")]
    public void Startup_StopsWithAMessage_ForAWrongSetting(string key, string value, string expected)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Schedules", "Data Source=:memory:");
            builder.UseSetting("Database:MigrateOnStartup", "false");
            builder.UseSetting("Identity:Users:0:Name", "a");
            builder.UseSetting("Identity:Users:0:Password", "b");
            builder.UseSetting("Identity:Users:0:ProjectId", "c");
            builder.UseSetting(key, value);
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
