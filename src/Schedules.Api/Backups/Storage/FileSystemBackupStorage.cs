using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Schedules.Backups.Storage;

/// <summary>
/// The embedded store: a folder per account container. An object is written under a temporary name and renamed
/// into place only when whole, so a crash never leaves a partial object that looks complete.
/// </summary>
internal sealed class FileSystemBackupStorage(IOptions<StorageOptions> options, IHostEnvironment environment)
    : IBackupStorage
{
    private const string PartialSuffix = ".partial";
    private const int BufferSize = 1 << 16;

    private readonly string _root = Path.GetFullPath(options.Value.Root, environment.ContentRootPath);

    public async Task<StoredObject> WriteAsync(
        string accountId,
        string objectName,
        Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        var path = ObjectPath(accountId, objectName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = $"{path}.{Guid.NewGuid():N}{PartialSuffix}";
        try
        {
            long size;
            byte[] hash;
            await using (var file = new FileStream(
                partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var hashing = new HashingStream(file, sha))
                {
                    await write(hashing, cancellationToken);
                    await hashing.FlushAsync(cancellationToken);
                    size = hashing.Length;
                }

                file.Flush(flushToDisk: true);
                hash = sha.GetHashAndReset();
            }

            File.Move(partial, path, overwrite: true);
            return new StoredObject(new Uri(path).AbsoluteUri, size, Convert.ToHexStringLower(hash));
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(
        string accountId,
        string objectName,
        string checksum,
        CancellationToken cancellationToken)
    {
        var file = new FileStream(
            ObjectPath(accountId, objectName),
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            BufferSize,
            useAsync: true);
        return Task.FromResult<Stream>(new VerifyingStream(file, checksum));
    }

    public Task<bool> ExistsAsync(string accountId, string objectName, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(ObjectPath(accountId, objectName)));

    public Task DeleteAsync(string accountId, string objectName, CancellationToken cancellationToken)
    {
        var path = ObjectPath(accountId, objectName);
        var folder = Path.GetDirectoryName(path)!;

        // File.Delete passes over a missing file but throws for a missing folder: an account's first backup can
        // fail before its container exists.
        if (!Directory.Exists(folder))
        {
            return Task.CompletedTask;
        }

        File.Delete(path);
        foreach (var partial in Directory.EnumerateFiles(folder, Path.GetFileName(path) + ".*" + PartialSuffix))
        {
            File.Delete(partial);
        }

        return Task.CompletedTask;
    }

    public string ObjectPath(string accountId, string objectName)
    {
        if (accountId.IndexOfAny(['/', '\\', '.']) >= 0 || objectName.IndexOfAny(['/', '\\']) >= 0
            || objectName.StartsWith('.'))
        {
            throw new ArgumentException("Account ids and object names must not name other folders.");
        }

        return Path.Combine(_root, accountId, Backup.Container, objectName);
    }
}
