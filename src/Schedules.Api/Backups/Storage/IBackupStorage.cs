using Schedules.Backups.MySql;

namespace Schedules.Backups.Storage;

/// <summary>
/// What a stored object turned out to be once written whole; an executor that reads a binary log adds where in it
/// the backup ends, which the next incremental starts from.
/// </summary>
internal sealed record StoredObject(string LocationRef, long SizeBytes, string Checksum)
{
    public BinlogPosition? EndPosition { get; init; }
}

/// <summary>
/// The account's backup container, <c>z_CLOUDDB_BACKUPS</c>: one object per backup. Writes stream (memory does
/// not grow with the object) and become visible only once complete.
/// </summary>
internal interface IBackupStorage
{
    /// <summary>Streams <paramref name="write"/>'s output into the object, recording its size and SHA-256.</summary>
    Task<StoredObject> WriteAsync(
        string accountId,
        string objectName,
        Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken);

    /// <summary>
    /// Opens the object for reading; the stream throws at its end if the content does not match the checksum.
    /// </summary>
    Task<Stream> OpenReadAsync(
        string accountId,
        string objectName,
        string checksum,
        CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string accountId, string objectName, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the object and any partial write of it; removing an object that is not there succeeds.
    /// </summary>
    Task DeleteAsync(string accountId, string objectName, CancellationToken cancellationToken);
}
