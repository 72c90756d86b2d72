using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;

namespace Schedules.Backups.MySql;

/// <summary>
/// Gzips a stream on several cores, as pigz does: the input is cut into blocks of 1 MiB, each compressed on the
/// thread pool into a gzip member of its own, and the members are written in their order. Concatenated members are
/// one valid gzip file (RFC 1952) that gunzip and <see cref="GZipStream"/> read whole. Reading goes on while blocks
/// compress, so the tool writing the input seldom waits; memory is bounded by the blocks in flight.
/// </summary>
internal static class ParallelGzip
{
    private const int BlockSize = 1 << 20;

    /// <summary>Compresses the source into the target; returns the first <paramref name="headBytes"/> read.</summary>
    public static async Task<byte[]> CopyAsync(
        Stream source,
        Stream target,
        int headBytes,
        CancellationToken cancellationToken)
    {
        var inFlight = new Queue<Task<MemoryStream>>();
        var outputs = new ConcurrentBag<MemoryStream>();
        var limit = Environment.ProcessorCount + 2;
        var head = new MemoryStream();
        var blocks = 0;
        while (true)
        {
            var block = ArrayPool<byte>.Shared.Rent(BlockSize);
            var length = await FillAsync(source, block, cancellationToken);
            if (length == 0 && blocks > 0)
            {
                ArrayPool<byte>.Shared.Return(block);
                break;
            }

            if (head.Length < headBytes)
            {
                head.Write(block, 0, (int)Math.Min(length, headBytes - head.Length));
            }

            blocks++;
            inFlight.Enqueue(Task.Run(() => Compress(block, length, outputs), cancellationToken));
            if (inFlight.Count >= limit)
            {
                await WriteNextAsync(inFlight, outputs, target, cancellationToken);
            }

            if (length < BlockSize)
            {
                break;
            }
        }

        while (inFlight.Count > 0)
        {
            await WriteNextAsync(inFlight, outputs, target, cancellationToken);
        }

        return head.ToArray();
    }

    /// <summary>Reads until the block is full or the input ends.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] block, CancellationToken cancellationToken)
    {
        var length = 0;
        int read;
        while (length < BlockSize
            && (read = await source.ReadAsync(block.AsMemory(length, BlockSize - length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length;
    }

    private static MemoryStream Compress(byte[] block, int length, ConcurrentBag<MemoryStream> outputs)
    {
        try
        {
            var output = outputs.TryTake(out var reused) ? reused : new MemoryStream(BlockSize);
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(block, 0, length);
            }

            return output;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static async Task WriteNextAsync(
        Queue<Task<MemoryStream>> inFlight,
        ConcurrentBag<MemoryStream> outputs,
        Stream target,
        CancellationToken cancellationToken)
    {
        var output = await inFlight.Dequeue();
        await target.WriteAsync(output.GetBuffer().AsMemory(0, (int)output.Length), cancellationToken);
        output.SetLength(0);
        outputs.Add(output);
    }
}
