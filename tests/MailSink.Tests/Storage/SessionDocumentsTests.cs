using System.Reflection;
using LiteDB;
using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// The hand-written session document (<see cref="SessionDocuments"/>) must be the BsonMapper's, field for field and in
/// the same order: stored sessions are read back through the mapper, and files written before hold the mapper's.
/// Every property is given a value that is not its default by reflection, so a property added to the record and not
/// to the writer fails here.
/// </summary>
public sealed class SessionDocumentsTests
{
    private static readonly BsonMapper Mapper = StoreMapper.Create();

    [Fact]
    public void Every_property_set_is_written_as_the_mapper_writes_it()
    {
        var session = (SessionRecord)Populated(typeof(SessionRecord));
        Assert.Equal(Json(Mapper.ToDocument(session)), Json(SessionDocuments.ToDocument(session)));
        Assert.Contains("\"Tls\"", Json(SessionDocuments.ToDocument(session)), StringComparison.Ordinal);
    }

    [Fact]
    public void Nulls_and_empty_lists_are_written_as_the_mapper_writes_them()
    {
        var session = new SessionRecord { Id = "S1", StartedAt = Epoch, Lines = [new TranscriptLine { Time = Epoch, Text = "" }] };
        Assert.Equal(Json(Mapper.ToDocument(session)), Json(SessionDocuments.ToDocument(session)));
    }

    [Fact]
    public void A_stored_session_reads_back_through_the_mapper_unchanged()
    {
        foreach (var session in new[] { Session(3), (SessionRecord)Populated(typeof(SessionRecord)) })
        {
            var back = Mapper.ToObject<SessionRecord>(SessionDocuments.ToDocument(session));
            Assert.Equal(Json(Mapper.ToDocument(session)), Json(Mapper.ToDocument(back)));
            Assert.Equal(session.Lines.Select(l => l.Time), back.Lines.Select(l => l.Time));
        }
    }

    private static string Json(BsonDocument doc) => JsonSerializer.Serialize(doc);

    /// <summary>An instance with every public property set to a value other than its type's default.</summary>
    private static object Populated(Type type)
    {
        var constructor = type.GetConstructor(Type.EmptyTypes);
        if (constructor is null)
        {
            // Records with positional parameters (TlsInfo): each parameter gets a value.
            var positional = type.GetConstructors().Single();
            return positional.Invoke(positional.GetParameters().Select(p => Value(p.ParameterType, p.Name!)).ToArray());
        }

        var instance = constructor.Invoke(null);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            property.SetValue(instance, Value(property.PropertyType, property.Name));
        }

        return instance;
    }

    private static object Value(Type type, string name)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return $"{name} value";
        }

        if (type == typeof(int))
        {
            return name.Length + 1;
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).Cast<object>().Last();
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 11, 30, 17, 4, 5, TimeSpan.FromMinutes(330)).AddTicks(name.Length);
        }

        if (type == typeof(List<string>))
        {
            return new List<string> { $"{name} 1", $"{name} 2" };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(type)!;
            list.Add(Populated(type.GetGenericArguments()[0]));
            list.Add(Populated(type.GetGenericArguments()[0]));
            return list;
        }

        if (type.IsClass && type.Namespace == typeof(SessionRecord).Namespace)
        {
            return Populated(type);
        }

        throw new InvalidOperationException($"No test value for {type} ({name}): give it one, and write it in SessionDocuments.");
    }
}
