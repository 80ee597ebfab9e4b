using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/MailSink.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/MailSink.Benchmarks -- million DIR [count] [batch]: the million-message store timer.
// ... -- million-pg postgresql://user:password@host:port/db [count] [batch]: the same on an empty PostgreSQL database.
if (args is ["million-pg", .. var pgArgs])
{
    return await MailSink.Benchmarks.Million.PostgresMillionCommand.RunAsync(pgArgs);
}

if (args is ["million", .. var rest])
{
    return await MailSink.Benchmarks.Million.MillionCommand.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(MailSink.Benchmarks.IngestBenchmarks).Assembly).Run(args);
return 0;
