namespace MailSink.Tests.TestHost;

/// <summary>Tests that run <c>dotnet pack</c> on this repository: one at a time, or their Release builds of the same projects collide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackingCollection
{
    public const string Name = "Packing (dotnet pack of the repository's projects)";
}
