using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/MailSink.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(MailSink.Benchmarks.IngestBenchmarks).Assembly).Run(args);
