namespace Schedules.OpenApi;

/// <summary>
/// Endpoint metadata: a JSON request body shown as the example in the OpenAPI document and Swagger UI.
/// </summary>
internal sealed record RequestExample(string Json);

/// <summary>Request examples, taken from the original API's documentation.</summary>
internal static class Examples
{
    public const string CreateSchedule = """
        {
            "schedule": {
                "action": "backup",
                "day_of_week": 0,
                "hour": 14,
                "instance_id": "44b277eb-39be-4921-be31-3d61b43651d7",
                "minute": 30
            }
        }
        """;

    public const string UpdateSchedule = """
        {
            "schedule": {
                "day_of_week": 3,
                "hour": 2,
                "minute": 15,
                "full_backup_retention": 3,
                "run_now": false
            }
        }
        """;

    public const string CreateInstance = """
        {
            "instance": {
                "name": "json_rack_instance",
                "flavorRef": "1",
                "volume": {"size": 2},
                "datastore": {"type": "mysql", "version": "5.6"}
            }
        }
        """;

    public const string CreateBackup = """
        {
            "backup": {
                "name": "Incremental Snapshot",
                "instance": "44b277eb-39be-4921-be31-3d61b43651d7",
                "description": "My Incremental Backup",
                "incremental": 1
            }
        }
        """;

    public const string RestartInstance = """
        {"restart": {}}
        """;

    public const string CreateDatabases = """
        {
            "databases": [
                {"name": "testingdb", "character_set": "utf8", "collate": "utf8_general_ci"},
                {"name": "sampledb"}
            ]
        }
        """;

    public const string CreateUsers = """
        {
            "users": [
                {"name": "dbuser1", "password": "password", "databases": [{"name": "testingdb"}]},
                {"name": "dbuser2", "password": "password", "host": "10.0.0.%", "databases": [{"name": "sampledb"}]}
            ]
        }
        """;

    public const string TokenV2 = """
        {"auth": {"passwordCredentials": {"username": "demo", "password": "demo"}, "tenantId": "1234"}}
        """;

    public const string TokenV3 = """
        {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": "demo", "domain": {"id": "default"}, "password": "demo"}}
                },
                "scope": {"project": {"id": "1234"}}
            }
        }
        """;
}
