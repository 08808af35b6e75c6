using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using BnMlNet.Samples.Csv;
using Microsoft.ML.Data;

namespace BnMlNet.Serving;

/// <summary>
/// The input class of a model's <c>PredictionEngine</c>, made at run time from the sidecar's feature columns: one
/// public field per column (<c>float</c> for numeric, <c>string</c> for text), mapped to the column's name by a
/// <see cref="SchemaDefinition"/> (so any CSV header works, not only C# identifiers). The type is emitted once per
/// column list and reused by later reloads with the same columns.
/// </summary>
public sealed class InputRowType
{
    private static readonly ConcurrentDictionary<string, InputRowType> Cache = new();
    private readonly Func<object> _create;
    private readonly Delegate[] _setters;

    private InputRowType(IReadOnlyList<SidecarColumn> columns)
    {
        Columns = columns;
        var assembly = AssemblyBuilder.DefineDynamicAssembly(
            new AssemblyName("BnMlNet.Serving.Rows" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var builder = assembly.DefineDynamicModule("Rows").DefineType("InputRow",
            TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
        for (int i = 0; i < columns.Count; i++)
            builder.DefineField(FieldName(i), ClrType(columns[i].Kind), FieldAttributes.Public);
        builder.DefineDefaultConstructor(MethodAttributes.Public);
        Type = builder.CreateType();

        Schema = SchemaDefinition.Create(Type, SchemaDefinition.Direction.Read);
        foreach (var column in Schema)
            column.ColumnName = columns[int.Parse(column.MemberName.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture)].Name;

        _create = Expression.Lambda<Func<object>>(Expression.New(Type)).Compile();
        _setters = new Delegate[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            var row = Expression.Parameter(typeof(object), "row");
            var value = Expression.Parameter(ClrType(columns[i].Kind), "value");
            var assign = Expression.Assign(Expression.Field(Expression.Convert(row, Type), FieldName(i)), value);
            var setter = typeof(Action<,>).MakeGenericType(typeof(object), ClrType(columns[i].Kind));
            _setters[i] = Expression.Lambda(setter, assign, row, value).Compile();
        }
    }

    /// <summary>The feature columns, in the sidecar's order.</summary>
    public IReadOnlyList<SidecarColumn> Columns { get; }

    /// <summary>The emitted row type.</summary>
    public Type Type { get; }

    /// <summary>Maps each field to its column name.</summary>
    public SchemaDefinition Schema { get; }

    /// <summary>The row type for <paramref name="columns"/> (emitted on first use).</summary>
    public static InputRowType For(IReadOnlyList<SidecarColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        string key = string.Join("\u0001", columns.Select(c => $"{c.Kind}:{c.Name}"));
        return Cache.GetOrAdd(key, _ => new InputRowType(columns));
    }

    /// <summary>A new row, every field at its default.</summary>
    public object NewRow() => _create();

    /// <summary>Sets numeric column <paramref name="column"/> of <paramref name="row"/>.</summary>
    public void SetNumber(object row, int column, float value) => ((Action<object, float>)_setters[column])(row, value);

    /// <summary>Sets text column <paramref name="column"/> of <paramref name="row"/>.</summary>
    public void SetText(object row, int column, string value) => ((Action<object, string>)_setters[column])(row, value);

    private static string FieldName(int index) => "F" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Type ClrType(CsvColumnKind kind) => kind == CsvColumnKind.Numeric ? typeof(float) : typeof(string);
}
