using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MailSink.Tests.Contracts;

/// <summary>
/// Mailpit's published API description (Contracts/mailpit-api-v1-swagger.json, Swagger 2.0 from Mailpit 1.30.5,
/// MIT; copied from shared/contracts so a fresh clone has it) turned into JSON Schema for JsonSchema.Net. Swagger 2.0
/// schemas are draft-04-like and refer to <c>#/definitions/...</c>: the definitions become one draft-07 document
/// registered under <see cref="BaseUri"/>, and every reference is made absolute so any response schema can point into
/// it. Mailpit marks almost nothing required, so a validator alone would pass an empty object: in strict mode every
/// property the swagger declares is made required, which is what "field names exactly as the swagger says" means for
/// a client that reads them.
/// </summary>
internal sealed class MailpitSwagger
{
    private const string BaseUri = "https://mailsink.test/contracts/mailpit-api-v1";
    private const string Draft7 = "http://json-schema.org/draft-07/schema#";

    private static readonly Lazy<MailpitSwagger> Loaded = new(() => new MailpitSwagger(
        Path.Combine(AppContext.BaseDirectory, "Contracts", "mailpit-api-v1-swagger.json")));

    private readonly JsonNode _swagger;
    private readonly BuildOptions _options;

    private MailpitSwagger(string path)
    {
        Assert.True(File.Exists(path), $"The Mailpit swagger is missing at {path}: it is copied from tests/MailSink.Tests/Contracts by the build.");
        _swagger = JsonNode.Parse(File.ReadAllText(path))!;
        _options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };

        var document = new JsonObject
        {
            ["$schema"] = Draft7,
            ["$id"] = BaseUri,
            ["definitions"] = Strict(_swagger["definitions"]!.DeepClone(), isNameMap: true),
        };
        var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(document), _options, new Uri(BaseUri));
        _options.SchemaRegistry.Register(new Uri(BaseUri), schema);
    }

    public static MailpitSwagger Instance => Loaded.Value;

    /// <summary>The JSON schema of an operation's response, or null when the swagger gives it none (plain text, binary).</summary>
    public JsonNode? ResponseSchema(string method, string path, int status)
    {
        var operation = _swagger["paths"]?[path]?[method.ToLowerInvariant()] ?? throw new ArgumentException($"The swagger has no {method} {path}.");
        var response = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new ArgumentException($"The swagger has no {status} answer for {method} {path}.");
        if (response["$ref"]?.GetValue<string>() is { } reference)
        {
            response = _swagger["responses"]![reference["#/responses/".Length..]]!;
        }

        return response["schema"];
    }

    /// <summary>Validates <paramref name="instance"/> against the swagger's answer for an operation; fails with every error found.</summary>
    public void AssertResponse(string method, string path, int status, JsonNode? instance)
    {
        var schema = ResponseSchema(method, path, status);
        Assert.True(schema is not null, $"{method} {path} {status} has no JSON schema in the swagger.");
        AssertValid(schema!, instance, $"{method} {path} {status}");
    }

    /// <summary>Validates against one definition, e.g. "MessageSummary" for a live-feed frame's Data.</summary>
    public void AssertDefinition(string definition, JsonNode? instance) =>
        AssertValid(new JsonObject { ["$ref"] = $"#/definitions/{definition}" }, instance, definition);

    private void AssertValid(JsonNode schemaNode, JsonNode? instance, string what)
    {
        var schemaObject = Strict(schemaNode.DeepClone()).AsObject();
        schemaObject["$schema"] = Draft7;
        var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(schemaObject), _options, new Uri($"{BaseUri}/check/{Guid.NewGuid():N}"));
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"));
            Assert.Fail($"{what} does not match Mailpit's swagger:\n{string.Join("\n", errors)}\nin {instance?.ToJsonString()}");
        }
    }

    /// <summary>Every declared property required, and references made absolute into the registered definitions.</summary>
    private static JsonNode Strict(JsonNode node, bool isNameMap = false)
    {
        switch (node)
        {
            case JsonObject obj:
                if (!isNameMap)
                {
                    // Swagger's own keywords, which draft-07 (as JsonSchema.Net builds it) refuses as unknown.
                    foreach (var key in obj.Select(p => p.Key).Where(k => k == "example" || k.StartsWith("x-", StringComparison.Ordinal)).ToList())
                    {
                        obj.Remove(key);
                    }
                }

                if (!isNameMap && obj["$ref"] is JsonValue reference && reference.GetValue<string>().StartsWith("#/definitions/", StringComparison.Ordinal))
                {
                    obj["$ref"] = BaseUri + reference.GetValue<string>();
                }

                foreach (var (key, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        // Under these keywords the keys are names (of properties or definitions), not keywords.
                        Strict(child, !isNameMap && key is "properties" or "definitions" or "patternProperties");
                    }
                }

                if (!isNameMap && obj["properties"] is JsonObject properties && obj["type"]?.GetValue<string>() == "object")
                {
                    obj["required"] = new JsonArray(properties.Select(p => (JsonNode)JsonValue.Create(p.Key)).ToArray());
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Strict(child);
                    }
                }

                break;
        }

        return node;
    }
}
