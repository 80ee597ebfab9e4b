using System.Collections;
using System.Reflection;
using LiteDB;
using MailSink.Domain;
using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>
/// The store's BsonMapper has every entity mapper built before it is shared (LiteDB 5.0.21 publishes a mapper before
/// filling it in, so two threads meeting at a type's first use could read a summary with every field empty). A
/// summary and a session with every property and collection filled must round-trip without LiteDB building a mapper
/// the prebuild missed.
/// </summary>
public sealed class PrebuiltBsonMapperTests
{
    [Theory]
    [InlineData(typeof(MessageSummary))]
    [InlineData(typeof(SessionRecord))]
    public void Everything_a_stored_document_reaches_is_built_before_first_use(Type root)
    {
        var mapper = (PrebuiltBsonMapper)StoreMapper.Create();
        var filled = Fill(root, depth: 0)!;

        var document = mapper.ToDocument(root, filled);
        var back = mapper.Deserialize(root, document);

        Assert.NotNull(back);
        Assert.Equal(0, mapper.LateBuilds);
    }

    [Fact]
    public void A_type_built_on_first_use_is_counted()
    {
        // The check above can fail: a type outside the prebuild's roots is built late and counted.
        var mapper = (PrebuiltBsonMapper)StoreMapper.Create();
        _ = mapper.ToDocument(new Unlisted { Name = "x" });
        Assert.Equal(1, mapper.LateBuilds);
    }

    public sealed class Unlisted
    {
        public string Name { get; set; } = "";
    }

    /// <summary>An instance with every settable property, list, array and dictionary holding one value.</summary>
    private static object? Fill(Type type, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Fill(underlying, depth);
        }

        if (type == typeof(string))
        {
            return "x";
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0);
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.UnixEpoch;
        }

        if (type == typeof(byte[]))
        {
            return new byte[] { 1 };
        }

        if (type.IsPrimitive || type.IsValueType)
        {
            return Activator.CreateInstance(type);
        }

        if (depth > 6)
        {
            return null;
        }

        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Fill(type.GetElementType()!, depth + 1), 0);
            return array;
        }

        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var arguments = type.GetGenericArguments();
            if (arguments.Length == 2)
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                dictionary[Fill(arguments[0], depth + 1)!] = Fill(arguments[1], depth + 1);
                return dictionary;
            }

            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
            list.Add(Fill(arguments[0], depth + 1));
            return list;
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length).First();
        var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Fill(p.ParameterType, depth + 1))]);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(instance, Fill(property.PropertyType, depth + 1));
            }
        }

        return instance;
    }
}
