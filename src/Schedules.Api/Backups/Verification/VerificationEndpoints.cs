using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Schedules.Api;
using Schedules.Data;
using Schedules.OpenApi;

namespace Schedules.Backups.Verification;

/// <summary>A restore check as the API shows it.</summary>
internal sealed record VerificationView(
    string Id,
    string BackupId,
    string Status,
    IReadOnlyList<string> Chain,
    IReadOnlyList<VerifiedTable>? Tables,
    double? DurationSeconds,
    string? Reason,
    string Created,
    string Updated)
{
    public static VerificationView Of(BackupVerification verification) => new(
        Ids.Format(verification.Id),
        Ids.Format(verification.BackupId),
        verification.Status,
        verification.Chain?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
        verification.Tables is null
            ? null
            : JsonSerializer.Deserialize<List<VerifiedTable>>(verification.Tables, BackupVerifier.Json),
        verification.DurationSeconds,
        verification.Reason,
        Timestamps.Write(verification.Created),
        Timestamps.Write(verification.Updated));
}

internal sealed record VerificationEnvelope(VerificationView Verification);

internal sealed record VerificationList(IReadOnlyList<VerificationView> Verifications);

/// <summary>The body of <c>POST /backups/{backupId}/action</c>: <c>{"verify": {}}</c>.</summary>
internal sealed record BackupActionRequest(EmptyAction? Verify);

internal sealed record EmptyAction;

/// <summary>
/// Restore checks, an extension of the API: <c>POST /backups/{backupId}/action</c> with <c>{"verify": {}}</c>
/// starts one, <c>GET /backups/{backupId}/verifications</c> lists them with their outcome.
/// </summary>
internal static partial class VerificationEndpoints
{
    public static RouteGroupBuilder MapBackupVerifications(this RouteGroupBuilder account)
    {
        var backups = account.MapGroup("/backups").WithTags("Backups");
        backups.MapPost("/{backupId}/action", Act)
            .WithSummary("Extension: check that a backup restores")
            .WithDescription("Extension of the Cloud Databases API. {\"verify\": {}} restores the backup's chain "
                + "(its full, then each incremental in order, every object's checksum checked) on the service's "
                + "verification server (Verification:Profile), counts and checksums every restored table, and "
                + "drops what it restored. Answers 202 with the run record, RUNNING; read the outcome with "
                + "GET /backups/{backupId}/verifications.")
            .Accepts<BackupActionRequest>("application/json")
            .WithMetadata(new RequestExample("""{"verify": {}}"""))
            .Produces<VerificationEnvelope>(StatusCodes.Status202Accepted);
        backups.MapGet("/{backupId}/verifications", List)
            .WithSummary("Extension: a backup's restore checks, newest first")
            .WithDescription("Extension of the Cloud Databases API: each check's status (RUNNING, SUCCEEDED, "
                + "FAILED), the chain it restored, every restored table's row count and CHECKSUM TABLE value, "
                + "the seconds it took, and why it failed.")
            .Produces<VerificationList>();
        return account;
    }

    private static async Task<IResult> Act(
        string accountId,
        string backupId,
        HttpRequest request,
        SchedulesDbContext db,
        BackupVerifier verifier,
        TimeProvider time,
        ILogger<BackupVerification> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        if (body.Fault is not null)
        {
            return body.Fault;
        }

        var action = ReadAction(body.Value);
        if (action is not null)
        {
            return action;
        }

        var backup = await FindAsync(db, accountId, backupId, cancellationToken);
        if (backup is null)
        {
            return NotFound(backupId);
        }

        if (!verifier.IsConfigured)
        {
            return Fault.NotImplemented("Restore checks are not configured on this service (Verification:Profile).");
        }

        if (backup.Status != BackupStatus.Completed)
        {
            return Fault.Unprocessable($"Backup {backup.Id:D} cannot be verified because it is not COMPLETED "
                + $"(status was {backup.Status}).");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var verification = new BackupVerification
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            BackupId = backup.Id,
            Created = now,
            Updated = now,
        };
        db.BackupVerifications.Add(verification);
        await db.SaveChangesAsync(cancellationToken);

        verifier.Enqueue(verification.Id);
        LogRequested(logger, verification.Id, backup.Id);
        return Results.Json(
            new VerificationEnvelope(VerificationView.Of(verification)),
            statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> List(
        string accountId,
        string backupId,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var backup = await FindAsync(db, accountId, backupId, cancellationToken);
        if (backup is null)
        {
            return NotFound(backupId);
        }

        var verifications = await db.BackupVerifications.AsNoTracking()
            .Where(v => v.BackupId == backup.Id)
            .OrderByDescending(v => v.Seq)
            .ToListAsync(cancellationToken);
        return Results.Ok(new VerificationList(verifications.Select(VerificationView.Of).ToList()));
    }

    private static Fault? ReadAction(JsonElement body)
    {
        var actions = body.ValueKind == JsonValueKind.Object ? body.EnumerateObject().ToList() : [];
        if (actions.Count == 0)
        {
            return Fault.BadRequest("The request body must be a JSON object naming an action: 'verify'.");
        }

        if (actions[0].Name != "verify")
        {
            return Fault.BadRequest($"Invalid backup action '{JsonFields.Truncate(actions[0].Name)}': use 'verify'.");
        }

        return actions[0].Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null
            ? null
            : Fault.BadRequest("Invalid 'verify': must be an object, such as {}.");
    }

    private static async Task<Backup?> FindAsync(
        SchedulesDbContext db,
        string accountId,
        string backupId,
        CancellationToken cancellationToken) =>
        Ids.TryParse(backupId, out var id)
            ? await db.Backups.AsNoTracking()
                .FirstOrDefaultAsync(b => b.AccountId == accountId && b.Id == id, cancellationToken)
            : null;

    private static Fault NotFound(string backupId) =>
        Fault.NotFound($"Backup {JsonFields.Truncate(backupId)} could not be found.");

    [LoggerMessage(EventId = 5063, Level = LogLevel.Information,
        Message = "Verification {VerificationId} of backup {BackupId} requested")]
    private static partial void LogRequested(ILogger logger, Guid verificationId, Guid backupId);
}
