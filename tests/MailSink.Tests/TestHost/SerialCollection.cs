namespace MailSink.Tests.TestHost;

/// <summary>Tests that measure or saturate the whole process (heap size, 1,000-message load) and must not share it with other running tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (process-wide measurements and load)";
}
