using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace MailSink.Tests.Fuzz;

/// <summary>
/// How long a property-based fuzz test runs. The regular suite runs a short, single-threaded pass
/// (<see cref="ShortIterations"/> inputs a property, a few seconds). A campaign is the same tests with
/// environment variables (bench/fuzz.sh sets them):
/// MAILSINK_FUZZ_ITER (inputs a property), MAILSINK_FUZZ_SECONDS (run for a time instead),
/// MAILSINK_FUZZ_THREADS (default 1), MAILSINK_FUZZ_SEED (replay the seed a failure printed).
/// </summary>
internal static class FuzzCampaign
{
    public const int ShortIterations = 3000;

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name);

    private static int Int(string name, int fallback) =>
        int.TryParse(Env(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>Runs <paramref name="property"/> over <paramref name="gen"/>; prints how many inputs in how long.</summary>
    public static void Run<T>(ITestOutputHelper output, string name, Gen<T> gen, Action<T> property, int shortIterations = ShortIterations)
    {
        long count = 0;
        var watch = Stopwatch.StartNew();
        var seconds = Int("MAILSINK_FUZZ_SECONDS", -1);
        gen.Sample(
            value =>
            {
                Interlocked.Increment(ref count);
                property(value);
            },
            writeLine: output.WriteLine,
            seed: Env("MAILSINK_FUZZ_SEED"),
            iter: seconds > 0 ? -1 : Int("MAILSINK_FUZZ_ITER", shortIterations),
            time: seconds,
            threads: Int("MAILSINK_FUZZ_THREADS", 1));
        Report(output, name, count, watch.Elapsed);
    }

    /// <inheritdoc cref="Run{T}"/>
    public static async Task RunAsync<T>(ITestOutputHelper output, string name, Gen<T> gen, Func<T, Task> property, int shortIterations)
    {
        long count = 0;
        var watch = Stopwatch.StartNew();
        var seconds = Int("MAILSINK_FUZZ_SECONDS", -1);
        var iterations = Int("MAILSINK_FUZZ_ITER", -1);
        await gen.SampleAsync(
            value =>
            {
                Interlocked.Increment(ref count);
                return property(value);
            },
            writeLine: output.WriteLine,
            seed: Env("MAILSINK_FUZZ_SEED"),
            // Each input here is a store round trip: a campaign runs a tenth as many.
            iter: seconds > 0 ? -1 : iterations > 0 ? Math.Max(1, iterations / 10) : shortIterations,
            time: seconds,
            threads: Int("MAILSINK_FUZZ_THREADS", 1));
        Report(output, name, count, watch.Elapsed);
    }

    private static void Report(ITestOutputHelper output, string name, long count, TimeSpan elapsed) =>
        output.WriteLine($"fuzz {name}: {count:N0} inputs in {elapsed.TotalSeconds:F1} s ({count / Math.Max(0.001, elapsed.TotalSeconds):N0}/s), no exception escaped");
}
