namespace MailSink.Tests.TestHost;

/// <summary>Tests that measure the whole process (memory) and must not share it with other running tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (process-wide measurements)";
}
