using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MailSink.Api;
using MailSink.Client;
using MailSink.Contracts;
using MailSink.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailSink.Tests.Contracts;

/// <summary>
/// The wire contract, checked three ways against one set of golden files (Golden/*.json): the server's DTOs
/// serialize to exactly them, MailSink.Client's models read every field of them and write the same back, and
/// web-ui/src/api/contract.check.ts assigns them to the TypeScript types (vue-tsc, in the web build). A field
/// renamed on one side only fails one of the three.
/// After an intended change of the wire shape, regenerate with
/// <c>MAILSINK_UPDATE_CONTRACTS=1 dotnet test tests/MailSink.Tests --filter FullyQualifiedName~Contracts</c>
/// and review the diff of Golden/ (then make the client and types.ts follow).
/// </summary>
public sealed class ContractGoldenTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("MAILSINK_UPDATE_CONTRACTS") == "1";

    public static TheoryData<string> Samples => [.. ContractSamples.All.Select(s => s.Name)];

    public static TheoryData<string> ClientSamples => [.. ContractSamples.All.Where(s => s.ClientModel is not null).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_server_writes_the_golden_shape(string name)
    {
        var sample = ContractSamples.All.Single(s => s.Name == name);
        var actual = JsonSerializer.SerializeToNode(sample.Value, sample.Value.GetType(), sample.Hub ? HubJson : ApiJson)!;
        var path = GoldenPath(name);
        if (Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; create it with MAILSINK_UPDATE_CONTRACTS=1 (see this class's summary).");
        var golden = JsonNode.Parse(File.ReadAllText(path))!;
        var differences = JsonDifferences.Between(golden, actual);
        Assert.True(differences.Count == 0,
            $"{name} no longer serializes to {Path.GetFileName(path)} (golden vs now):\n  {string.Join("\n  ", differences)}\n"
            + "If the change is intended, regenerate with MAILSINK_UPDATE_CONTRACTS=1 and update MailSink.Client and web-ui/src/api/types.ts.");
    }

    [Theory]
    [MemberData(nameof(ClientSamples))]
    public void The_client_model_reads_every_field_and_writes_it_back_unchanged(string name)
    {
        var model = ContractSamples.All.Single(s => s.Name == name).ClientModel!;
        var text = File.ReadAllText(GoldenPath(name));
        var golden = JsonNode.Parse(text)!;

        // Disallow: a field the model has no property for is an error, not silently dropped.
        var read = JsonSerializer.Deserialize(text, model, ClientReadJson)!;
        var written = JsonSerializer.SerializeToNode(read, model, ClientWriteJson)!;

        var differences = JsonDifferences.Between(golden, written);
        Assert.True(differences.Count == 0,
            $"MailSink.Client's {model.Name} does not round-trip {name}.json (golden vs client):\n  {string.Join("\n  ", differences)}");
    }

    [Fact]
    public void The_hub_writes_the_API_DTOs_it_sends_exactly_as_the_API_does()
    {
        foreach (var sample in ContractSamples.All.Where(s => !s.Hub))
        {
            var api = JsonSerializer.SerializeToNode(sample.Value, sample.Value.GetType(), ApiJson);
            var hub = JsonSerializer.SerializeToNode(sample.Value, sample.Value.GetType(), HubJson);
            Assert.True(JsonNode.DeepEquals(api, hub), $"{sample.Name}: the hub's JSON options write it differently from the API's.");
        }
    }

    [Fact]
    public void Every_response_shape_in_Contracts_has_a_golden_sample()
    {
        var contracts = typeof(InfoDto).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(InfoDto).Namespace && t.IsClass && !t.IsNested && !t.Name.StartsWith('<'))
            .Where(t => !t.Name.EndsWith("Request", StringComparison.Ordinal)) // request bodies, read leniently
            .ToList();
        var covered = new HashSet<Type>();
        foreach (var sample in ContractSamples.All)
        {
            Reach(sample.Value.GetType(), covered);
        }

        var missing = contracts.Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, $"No sample in ContractSamples reaches: {string.Join(", ", missing)}");
        Assert.Equal(ContractSamples.All.Count, Directory.GetFiles(GoldenDirectory, "*.json").Length);
    }

    [Fact]
    public void The_web_build_checks_every_golden_file_or_says_why_not()
    {
        var check = File.ReadAllText(Path.Combine(RepositoryRoot(), "web-ui", "src", "api", "contract.check.ts"));
        var missing = ContractSamples.All
            .Where(s => !check.Contains($"Golden/{s.Name}.json'", StringComparison.Ordinal) && !check.Contains($"// Not checked, because the UI has no type for them: {s.Name}.json", StringComparison.Ordinal)
                && !check.Contains($", {s.Name}.json", StringComparison.Ordinal))
            .Select(s => s.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"web-ui/src/api/contract.check.ts neither imports nor names: {string.Join(", ", missing)}");
    }

    private static void Reach(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            Reach(argument, seen);
        }

        if (type.Assembly == typeof(InfoDto).Assembly)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Reach(property.PropertyType, seen);
            }
        }
    }

    /// <summary>The API's serializer options, as the app configures them (Mailpit's PascalCase names).</summary>
    internal static JsonSerializerOptions ApiJson { get; } = Resolve(s => s.AddMailSinkApi(), p => p.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

    /// <summary>The hub's payload options.</summary>
    private static JsonSerializerOptions HubJson { get; } = Resolve(s => s.AddRealtime(), p => p.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions);

    /// <summary>The client's own options (private in MailSinkClient), made strict about unknown fields.</summary>
    private static JsonSerializerOptions ClientReadJson { get; } = new(ClientJson()) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>The client's options, writing only what it can read back (computed properties such as MessageTranscript.Transaction are left out).</summary>
    private static JsonSerializerOptions ClientWriteJson { get; } = new(ClientJson())
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Kind != JsonTypeInfoKind.Object)
                    {
                        return;
                    }

                    foreach (var property in info.Properties.Where(p => p.Set is null && !IsConstructorParameter(info, p)).ToList())
                    {
                        info.Properties.Remove(property);
                    }
                },
            },
        },
    };

    private static bool IsConstructorParameter(JsonTypeInfo info, JsonPropertyInfo property) =>
        info.Type.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)));

    private static JsonSerializerOptions ClientJson() =>
        (JsonSerializerOptions)(typeof(MailSinkClient).GetField("Json", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException("MailSinkClient.Json (the client's serializer options) was renamed; point this test at it."));

    private static JsonSerializerOptions Resolve(Action<IServiceCollection> add, Func<IServiceProvider, JsonSerializerOptions> get)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        add(services);
        using var provider = services.BuildServiceProvider();
        return new JsonSerializerOptions(get(provider));
    }

    internal static string GoldenDirectory => Path.Combine(RepositoryRoot(), "tests", "MailSink.Tests", "Contracts", "Golden");

    private static string GoldenPath(string name) => Path.Combine(GoldenDirectory, name + ".json");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailSink.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MailSink.sln not found above the test assembly.");
    }
}
