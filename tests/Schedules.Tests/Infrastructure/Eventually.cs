namespace Schedules.Tests.Infrastructure;

/// <summary>
/// Waits, in real time and bounded, for work the service does in the background (a Quartz firing, a backup
/// being written). The fake clock decides what is due; this only waits for the machine to get it done.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {seconds} s for {what}; last seen: {value}");
            }

            await Task.Delay(25);
        }
    }
}
