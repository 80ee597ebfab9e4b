using System.Collections;
using System.Reflection;
using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// A BsonMapper whose entity mappers are all built, under a lock, before its first entity is mapped. LiteDB 5.0.21
/// builds a type's mapper on its first use and publishes it in its cache before filling it in, and readers look the
/// cache up outside its lock: a read racing the first write (or another read) of a type could take the half-built
/// mapper and read a summary with every field empty, or fail with "Failed to create instance for type EmailAddress"
/// (fixed upstream after 5.0.21: mbdavid/LiteDB#2538, #2566, #2575; no release carries it). The store's background
/// first-page read made the race frequent in the storage tests; the API and the writer could always meet there on a
/// fresh server. Built at the first use rather than at open: an empty store's server never needs them (1.5 MB of
/// idle memory).
/// </summary>
internal sealed class PrebuiltBsonMapper : BsonMapper
{
    private static readonly MethodInfo EntityMethod = typeof(BsonMapper).GetMethod(nameof(Entity))!;

    private readonly HashSet<Type> _prebuilt = [];
    private readonly Lock _prebuild = new();
    private Type[] _roots = [];
    private volatile bool _built;
    private bool _prebuilding;
    private int _lateBuilds;

    /// <summary>Entity mappers built after <see cref="Prebuild"/>: each was a type the walk missed (tests keep it 0).</summary>
    public int LateBuilds => Volatile.Read(ref _lateBuilds);

    /// <summary>
    /// The types mapped at the top (the stored documents): at the first mapping, the mapper of each and of every type
    /// its properties reach (element types of arrays and lists, dictionary values, nullable values) is built, as
    /// LiteDB would on first use. Call before the mapper is shared.
    /// </summary>
    public void Prebuild(params Type[] roots) => _roots = roots;

    public override BsonDocument ToDocument(Type type, object entity)
    {
        EnsureBuilt(type);
        return base.ToDocument(type, entity);
    }

    public override object ToObject(Type type, BsonDocument doc)
    {
        EnsureBuilt(type);
        return base.ToObject(type, doc);
    }

    private void EnsureBuilt(Type type)
    {
        // LiteDB passes every document of an untyped collection through here as it is: no entity to map.
        if (_built || type == typeof(BsonDocument))
        {
            return;
        }

        lock (_prebuild)
        {
            if (_built)
            {
                return;
            }

            _prebuilding = true;
            try
            {
                foreach (var root in _roots)
                {
                    Walk(root);
                }
            }
            finally
            {
                _prebuilding = false;
            }

            _built = true;
        }
    }

    protected override EntityMapper BuildAddEntityMapper(Type type)
    {
        if (!_prebuilding)
        {
            Interlocked.Increment(ref _lateBuilds);
        }

        return base.BuildAddEntityMapper(type);
    }

    private void Walk(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Walk(underlying);
            return;
        }

        if (IsScalar(type) || !_prebuilt.Add(type))
        {
            return;
        }

        if (type.IsArray)
        {
            Walk(type.GetElementType()!);
            return;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            // Dictionaries map their values, lists and sets their items; the collection itself is no entity.
            var generic = type.IsGenericType ? type.GetGenericArguments() : [];
            if (generic.Length > 0)
            {
                Walk(generic[^1]);
            }

            return;
        }

        EntityMethod.MakeGenericMethod(type).Invoke(this, null);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Walk(property.PropertyType);
            }
        }
    }

    /// <summary>Types LiteDB writes as one BSON value (or through a serializer registered on this mapper).</summary>
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(byte[])
        || type == typeof(object) || typeof(BsonValue).IsAssignableFrom(type)
        || type == typeof(Dictionary<string, string>);
}
