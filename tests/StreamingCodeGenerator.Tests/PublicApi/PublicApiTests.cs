using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Tests.PublicApi;

/// <summary>
/// The public API guard: each package's public surface (types and members, with nullable-annotated signatures) is
/// written to a committed text file and compared, so any API change is a visible diff in review. When the surface
/// changes, this test rewrites the file and fails; commit the new file if the change is intended.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PublicApiTests
{
    [TestCase(typeof(StreamingCodeGenerator), "StreamingCodeGenerator.txt")]
    [TestCase(typeof(OpenAITestServer), "StreamingCodeGenerator.Testing.txt")]
    public void PublicApi_MatchesTheCommittedListing(Type anchor, string fileName)
    {
        string actual = Describe(anchor.Assembly);
        string path = Path.Combine(SourceDirectory(), fileName);
        string? committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;

        if (committed != actual)
        {
            File.WriteAllText(path, actual);
            Assert.Fail($"The public API of {anchor.Assembly.GetName().Name} changed; {path} now holds the new listing. Review the diff and commit it if the change is intended.");
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions ConstantJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(DescribeType(type));
            var members = new List<string>();
            foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                string? text = DescribeMember(member);
                if (text is not null)
                {
                    members.Add("  " + text);
                }
            }

            members.Sort(StringComparer.Ordinal);
            lines.AddRange(members);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string DescribeType(Type type)
    {
        string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
            : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : "class";
        string modifiers = type.IsClass && type.IsAbstract && type.IsSealed ? "static "
            : type.IsClass && type.IsSealed && kind == "class" ? "sealed "
            : type.IsClass && type.IsAbstract && !type.IsInterface ? "abstract " : string.Empty;
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum) && kind != "delegate")
        {
            bases.Add(Name(baseType));
        }

        bases.AddRange(type.GetInterfaces().Where(i => type.BaseType is null || !i.IsAssignableFrom(type.BaseType)).Select(Name).Order(StringComparer.Ordinal));
        return $"public {modifiers}{kind} {Name(type)}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty);
    }

    private static string? DescribeMember(MemberInfo member)
    {
        var nullability = new NullabilityInfoContext();
        switch (member)
        {
            case ConstructorInfo constructor:
                return $"{Static(constructor)}ctor({Parameters(constructor.GetParameters(), nullability)})";
            case MethodInfo method when !method.IsSpecialName:
                string returns = TypeWithNullability(method.ReturnType, nullability.Create(method.ReturnParameter));
                return $"{Static(method)}{(method.IsAbstract && !method.DeclaringType!.IsInterface ? "abstract " : method.IsVirtual && !method.IsFinal && method.GetBaseDefinition() == method && !method.DeclaringType!.IsInterface ? "virtual " : string.Empty)}{returns} {method.Name}{Generic(method)}({Parameters(method.GetParameters(), nullability)})";
            case PropertyInfo property:
                string accessors = (property.GetMethod?.IsPublic == true ? " get;" : string.Empty)
                    + (property.SetMethod?.IsPublic == true ? IsInitOnly(property.SetMethod) ? " init;" : " set;" : string.Empty);
                MethodInfo accessor = property.GetMethod ?? property.SetMethod!;
                string index = property.GetIndexParameters() is { Length: > 0 } indexes ? $"[{Parameters(indexes, nullability)}]" : string.Empty;
                return $"{Static(accessor)}{TypeWithNullability(property.PropertyType, nullability.Create(property))} {property.Name}{index} {{{accessors} }}";
            case FieldInfo field when field.DeclaringType!.IsEnum:
                return field.IsSpecialName ? null : $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            case FieldInfo field:
                string constant = field.IsLiteral ? " = " + FormatConstant(field.GetRawConstantValue()) : string.Empty;
                string fieldModifiers = field.IsLiteral ? "const " : (field.IsStatic ? "static " : string.Empty) + (field.IsInitOnly ? "readonly " : string.Empty);
                return $"{fieldModifiers}{TypeWithNullability(field.FieldType, nullability.Create(field))} {field.Name}{constant}";
            case EventInfo @event:
                return $"event {Name(@event.EventHandlerType!)} {@event.Name}";
            default:
                return null;
        }
    }

    private static string Parameters(ParameterInfo[] parameters, NullabilityInfoContext nullability) =>
        string.Join(", ", parameters.Select(p =>
        {
            string prefix = p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : p.GetCustomAttribute<ParamArrayAttribute>() is not null ? "params " : string.Empty;
            Type type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            string defaultValue = !p.HasDefaultValue ? string.Empty
                : p.RawDefaultValue is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null ? " = default"
                : " = " + FormatConstant(p.RawDefaultValue);
            return $"{prefix}{TypeWithNullability(type, nullability.Create(p))} {p.Name}{defaultValue}";
        }));

    private static string TypeWithNullability(Type type, NullabilityInfo info)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        string name = Name(type);
        if (type.IsGenericType && info.GenericTypeArguments.Length == type.GetGenericArguments().Length)
        {
            Type definition = type.GetGenericTypeDefinition();
            string baseName = Name(definition);
            baseName = baseName[..baseName.IndexOf('<', StringComparison.Ordinal)];
            name = baseName + "<" + string.Join(", ", type.GetGenericArguments().Select((a, i) => TypeWithNullability(a, info.GenericTypeArguments[i]))) + ">";
        }
        else if (type.IsArray && info.ElementType is { } element)
        {
            name = TypeWithNullability(type.GetElementType()!, element) + "[]";
        }

        return !type.IsValueType && info.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        string name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
        if (type.IsGenericType)
        {
            name = name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Static(MethodBase method) => method.IsStatic ? "static " : string.Empty;

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static string FormatConstant(object? value) => value switch
    {
        null => "null",
        string s => System.Text.Json.JsonSerializer.Serialize(s, ConstantJson),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    /// <summary>
    /// This folder in the source tree, found from the test's output folder (a CI build maps source paths, so the
    /// compiler's file path cannot be used).
    /// </summary>
    private static string SourceDirectory() => Path.Combine(RepositoryLayout.Root, "tests", "StreamingCodeGenerator.Tests", "PublicApi");
}
