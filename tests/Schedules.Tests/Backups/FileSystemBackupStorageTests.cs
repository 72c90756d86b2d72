using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Schedules.Backups.Storage;

namespace Schedules.Tests.Backups;

public sealed class FileSystemBackupStorageTests : IDisposable
{
    private const string Account = "1234";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "schedules-tests", $"storage-{Guid.NewGuid():N}");
    private readonly FileSystemBackupStorage _storage;

    public FileSystemBackupStorageTests()
    {
        _storage = new FileSystemBackupStorage(
            Options.Create(new StorageOptions { Root = _root }), new TestEnvironment(Path.GetTempPath()));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Write_StoresTheObjectInTheAccountsContainer_WithItsSizeAndChecksum()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);

        var stored = await _storage.WriteAsync(
            Account, "a.xbstream.gz", (stream, token) => stream.WriteAsync(content, token).AsTask(), default);

        var path = Path.Combine(_root, Account, "z_CLOUDDB_BACKUPS", "a.xbstream.gz");
        Assert.Equal(new Uri(path).AbsoluteUri, stored.LocationRef);
        Assert.Equal(path, new Uri(stored.LocationRef).LocalPath);
        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.Equal(new FileInfo(path).Length, stored.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Checksum);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Write_KeepsTheObjectUnderATemporaryName_UntilItIsWhole()
    {
        var path = _storage.ObjectPath(Account, "b.xbstream.gz");
        string[]? whileWriting = null;

        await _storage.WriteAsync(Account, "b.xbstream.gz", async (stream, token) =>
        {
            await stream.WriteAsync(new byte[1000], token);
            await stream.FlushAsync(token);
            whileWriting = Directory.GetFiles(Path.GetDirectoryName(path)!);
        }, default);

        var partial = Assert.Single(whileWriting!);
        Assert.NotEqual(path, partial);
        Assert.StartsWith(path + ".", partial, StringComparison.Ordinal);
        Assert.EndsWith(".partial", partial, StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Write_LeavesNoObjectAndNoPartialFile_WhenTheWriterThrows()
    {
        var path = _storage.ObjectPath(Account, "c.xbstream.gz");

        var error = await Assert.ThrowsAsync<IOException>(() => _storage.WriteAsync(
            Account, "c.xbstream.gz", async (stream, token) =>
            {
                await stream.WriteAsync(new byte[500_000], token);
                throw new IOException("The instance went away mid-backup.");
            }, default));

        Assert.Equal("The instance went away mid-backup.", error.Message);
        Assert.False(await _storage.ExistsAsync(Account, "c.xbstream.gz", default));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Write_OverAnOldObject_ReplacesItWhole()
    {
        await _storage.WriteAsync(Account, "d.xbstream.gz", (s, t) => s.WriteAsync(new byte[10], t).AsTask(), default);

        var stored = await _storage.WriteAsync(
            Account, "d.xbstream.gz", (s, t) => s.WriteAsync(new byte[3], t).AsTask(), default);

        Assert.Equal(3, new FileInfo(_storage.ObjectPath(Account, "d.xbstream.gz")).Length);
        Assert.Equal(3, stored.SizeBytes);
    }

    [Fact]
    public async Task OpenRead_GivesTheContentBack_WhenTheChecksumMatches()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        var stored = await _storage.WriteAsync(
            Account, "e.xbstream.gz", (s, t) => s.WriteAsync(content, t).AsTask(), default);

        await using var read = await _storage.OpenReadAsync(Account, "e.xbstream.gz", stored.Checksum, default);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task OpenRead_ThrowsInvalidData_AtTheEnd_WhenTheObjectIsDamaged()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        var stored = await _storage.WriteAsync(
            Account, "f.xbstream.gz", (s, t) => s.WriteAsync(content, t).AsTask(), default);
        await using (var file = File.OpenWrite(_storage.ObjectPath(Account, "f.xbstream.gz")))
        {
            file.Position = 250_000;
            file.WriteByte((byte)(content[250_000] ^ 0xFF));
        }

        await using var read = await _storage.OpenReadAsync(Account, "f.xbstream.gz", stored.Checksum, default);
        var buffer = new byte[4096];
        var firstRead = await read.ReadAsync(buffer);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => read.CopyToAsync(Stream.Null));

        Assert.True(firstRead > 0);
        Assert.Contains(stored.Checksum, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_StreamsInConstantMemory_ForA200MegabyteObject()
    {
        const long size = 200L * 1024 * 1024;
        long allocated = 0;
        var clock = Stopwatch.StartNew();

        // The generator is written to synchronously, so every write of the object runs on this one thread and its
        // allocations are all counted here.
        var stored = await _storage.WriteAsync(Account, "g.xbstream.gz", (stream, _) =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            new GeneratedStream(size).CopyTo(stream, 1 << 16);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return Task.CompletedTask;
        }, default);

        Assert.Equal(size, stored.SizeBytes);
        Assert.Equal(size, new FileInfo(_storage.ObjectPath(Account, "g.xbstream.gz")).Length);
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated} bytes were allocated to write {size} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Delete_RemovesTheObjectAndAnyPartialWrite_AndPassesOverWhatIsNotThere()
    {
        await _storage.WriteAsync(Account, "h.xbstream.gz", (s, t) => s.WriteAsync(new byte[10], t).AsTask(), default);
        var path = _storage.ObjectPath(Account, "h.xbstream.gz");
        await File.WriteAllTextAsync($"{path}.0123.partial", "left by a process that stopped");

        await _storage.DeleteAsync(Account, "h.xbstream.gz", default);
        await _storage.DeleteAsync(Account, "h.xbstream.gz", default);
        await _storage.DeleteAsync("an-account-without-backups", "i.xbstream.gz", default);

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData("../other", "a.xbstream.gz")]
    [InlineData("1234", "../../etc/passwd")]
    [InlineData("1234", ".hidden")]
    public void ObjectPath_RefusesNamesThatLeaveTheContainer(string account, string objectName) =>
        Assert.Throws<ArgumentException>(() => _storage.ObjectPath(account, objectName));

    /// <summary>A read-only stream of the given length whose bytes are made up as they are read.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < count; i++)
            {
                buffer[i] = (byte)((_position + i) * 31);
            }

            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "Schedules.Tests";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
