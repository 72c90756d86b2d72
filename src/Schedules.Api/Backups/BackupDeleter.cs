using Microsoft.EntityFrameworkCore;
using Schedules.Backups.Storage;
using Schedules.Data;

namespace Schedules.Backups;

/// <summary>What became of a request to delete a backup and the incrementals built on it.</summary>
internal sealed record ChainDeletion(bool Found, Guid? RunningId, int Deleted, int Failed)
{
    public static readonly ChainDeletion NotFound = new(false, null, 0, 0);

    public static ChainDeletion Running(Guid backupId) => new(true, backupId, 0, 0);
}

/// <summary>
/// Deletes a backup together with every incremental built on it, recursively, and their stored objects. Manual
/// deletes and retention both come through here.
/// </summary>
/// <remarks>
/// The chain is first marked DELETE_FAILED, which takes it out of every use (an incremental needs a COMPLETED
/// parent); then the objects go, incrementals before what they build on; then the rows, in one transaction. A
/// backup whose object, or one of whose incrementals' objects, could not be removed stays DELETE_FAILED with the
/// reason, and deleting it again retries. A process that stops half-way leaves the same retryable state.
/// </remarks>
internal sealed partial class BackupDeleter(
    SchedulesDbContext db,
    IBackupStorage storage,
    TimeProvider time,
    ILogger<BackupDeleter> logger)
{
    public const string Unfinished = "Deleting its stored object did not finish; delete the backup again.";

    public async Task<ChainDeletion> DeleteChainAsync(
        string accountId,
        Guid backupId,
        CancellationToken cancellationToken)
    {
        var chain = await LoadChainAsync(accountId, backupId, cancellationToken);
        if (chain.Count == 0)
        {
            return ChainDeletion.NotFound;
        }

        if (chain.FirstOrDefault(b => b.IsRunning) is { } running)
        {
            return ChainDeletion.Running(running.Id);
        }

        var ids = chain.Select(b => b.Id).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        await db.Backups
            .Where(b => ids.Contains(b.Id) && b.Status != BackupStatus.New && b.Status != BackupStatus.Building)
            .ExecuteUpdateAsync(set => set
                .SetProperty(b => b.Status, BackupStatus.DeleteFailed)
                .SetProperty(b => b.Reason, Unfinished)
                .SetProperty(b => b.Updated, now), cancellationToken);

        // Once marked, the deletion runs to its end even if the caller goes away, so as to leave no chain marked
        // for nothing. An incremental created on a member just before the mark shows up now: give the chain back.
        var marked = await LoadChainAsync(accountId, backupId, CancellationToken.None);
        if (marked.FirstOrDefault(b => b.IsRunning) is { } started)
        {
            await RestoreAsync(chain);
            return ChainDeletion.Running(started.Id);
        }

        var failures = await DeleteObjectsAsync(marked);
        var kept = KeptBackups(marked, failures);
        var gone = marked.Where(b => !kept.ContainsKey(b.Id)).Select(b => b.Id).ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            await db.BackupVerifications.Where(v => gone.Contains(v.BackupId))
                .ExecuteDeleteAsync(CancellationToken.None);
            await db.Backups.Where(b => gone.Contains(b.Id)).ExecuteDeleteAsync(CancellationToken.None);
            foreach (var (id, reason) in kept)
            {
                await db.Backups.Where(b => b.Id == id).ExecuteUpdateAsync(
                    set => set.SetProperty(b => b.Reason, reason), CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        foreach (var id in gone)
        {
            LogDeleted(logger, id, backupId);
        }

        foreach (var (id, reason) in kept)
        {
            LogDeleteFailed(logger, id, reason);
        }

        return new ChainDeletion(true, null, gone.Count, kept.Count);
    }

    /// <summary>The backup and every incremental built on it, recursively: parents before their incrementals.</summary>
    private async Task<List<Backup>> LoadChainAsync(
        string accountId,
        Guid backupId,
        CancellationToken cancellationToken)
    {
        var root = await db.Backups.AsNoTracking()
            .FirstOrDefaultAsync(b => b.AccountId == accountId && b.Id == backupId, cancellationToken);
        if (root is null)
        {
            return [];
        }

        var chain = new List<Backup> { root };
        var seen = new HashSet<Guid> { root.Id };
        List<Guid?> parents = [root.Id];
        while (parents.Count > 0)
        {
            var children = await db.Backups.AsNoTracking()
                .Where(b => b.AccountId == accountId && parents.Contains(b.ParentId))
                .OrderBy(b => b.Seq)
                .ToListAsync(cancellationToken);
            children.RemoveAll(child => !seen.Add(child.Id));
            chain.AddRange(children);
            parents = [.. children.Select(child => (Guid?)child.Id)];
        }

        return chain;
    }

    /// <summary>Removes the objects, incrementals first; returns why each that could not be removed stayed.</summary>
    private async Task<Dictionary<Guid, string>> DeleteObjectsAsync(List<Backup> chain)
    {
        var failures = new Dictionary<Guid, string>();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var backup = chain[i];
            try
            {
                await storage.DeleteAsync(backup.AccountId, backup.ObjectName, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures[backup.Id] = Shorten($"Its stored object could not be removed: {e.Message}");
            }
        }

        return failures;
    }

    /// <summary>
    /// The backups that must stay, with the reason: those whose object stayed, and everything they build on, since
    /// an incremental is useless without its parent.
    /// </summary>
    private static Dictionary<Guid, string> KeptBackups(List<Backup> chain, Dictionary<Guid, string> failures)
    {
        var kept = new Dictionary<Guid, string>(failures);
        var byId = chain.ToDictionary(b => b.Id);
        foreach (var failed in failures.Keys)
        {
            var parentId = byId[failed].ParentId;
            while (parentId is { } id && byId.ContainsKey(id))
            {
                kept.TryAdd(id, Shorten($"Its incremental backup {failed:D} could not be deleted."));
                parentId = byId[id].ParentId;
            }
        }

        return kept;
    }

    private async Task RestoreAsync(List<Backup> chain)
    {
        foreach (var backup in chain)
        {
            await db.Backups
                .Where(b => b.Id == backup.Id && b.Status == BackupStatus.DeleteFailed)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(b => b.Status, backup.Status)
                    .SetProperty(b => b.Reason, backup.Reason)
                    .SetProperty(b => b.Updated, backup.Updated), CancellationToken.None);
        }
    }

    private static string Shorten(string reason)
    {
        var line = reason.ReplaceLineEndings(" ").Trim();
        return line.Length <= 1000 ? line : line[..1000];
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information,
        Message = "Deleted backup {BackupId} (deleting {RequestedId})")]
    private static partial void LogDeleted(ILogger logger, Guid backupId, Guid requestedId);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Warning,
        Message = "Backup {BackupId} could not be deleted: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, Guid backupId, string reason);
}
