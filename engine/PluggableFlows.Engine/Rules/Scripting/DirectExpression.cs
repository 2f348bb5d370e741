using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using PluggableFlows.Engine.Vars;
using JsEngine = Jint.Engine;

namespace PluggableFlows.Engine.Rules.Scripting;

/// <summary>
/// A rule that is one side-effect-free expression, evaluated by walking its syntax tree over Jint's own values rather
/// than by Jint's interpreter, which spends most of a short rule's time on the function call, its environment and
/// per-node bookkeeping. Covered: parameters (<c>lead</c>, steps, ...), literals (array and regex literals included),
/// <c>a.b</c>, <c>!</c>, <c>typeof</c>, unary <c>-</c>/<c>+</c>, <c>&amp;&amp;</c>, <c>||</c>, equality, comparison,
/// arithmetic, <c>String()</c>, <c>Number()</c> and a few methods of strings, array literals and regex literals.
/// </summary>
/// <remarks>
/// Every built-in runs as Jint's own function and every conversion is Jint's, so an operation means exactly what it
/// means in the interpreter; what this class computes itself (equality, comparison, arithmetic, a field object's
/// <c>valueOf</c>/<c>toString</c>) follows the ECMAScript algorithms step by step. Whatever it does not cover — at
/// compile time (a syntax it does not know), or for the values at hand (an error to report, an object it cannot convert)
/// — makes it decline, and the rule runs on the interpreter. Declining is safe because nothing it evaluated had an
/// effect; so errors are always the interpreter's own.
/// </remarks>
internal sealed class DirectExpression
{
    private static readonly HashSet<string> StringMethods = new(StringComparer.Ordinal)
    {
        "toLowerCase", "toUpperCase", "trim", "trimStart", "trimEnd", "startsWith", "endsWith", "includes", "indexOf",
    };

    private static readonly DeclinedException Declined = new();

    private readonly Node _root;
    private readonly Func<JsEngine, JsValue>[] _constants;

    private DirectExpression(Node root, Func<JsEngine, JsValue>[] constants)
    {
        _root = root;
        _constants = constants;
    }

    private delegate JsValue Node(DirectFrame frame);

    /// <summary>Compiles <paramref name="expression"/>, whose free names are <paramref name="parameters"/> (by position)
    /// and globals; null when it uses anything this tier does not cover. <c>lead.field.member</c> reads the field by its
    /// slot in <paramref name="layout"/> (the flow's declared fields) when the lead was built with it.</summary>
    public static DirectExpression? TryCompile(Expression expression, string source, IReadOnlyList<string> parameters,
        FieldLayout? layout = null)
    {
        var compiler = new Compiler(source, parameters, layout);
        return compiler.Compile(expression) is { } root ? new DirectExpression(root, [.. compiler.Constants.Values]) : null;
    }

    /// <summary>Pays in <paramref name="engine"/> the JIT a first frame and evaluation would: the constants of each kind,
    /// the built-ins rules call most. True when the expression evaluated directly, to true.</summary>
    public static bool WarmUp(JsEngine engine)
    {
        const string Source = "['a'].includes(String(x)) && /^a/i.test(x.toLowerCase()) && x != 'b'";
        var expression = new Parser().ParseExpression(Source, strict: true);
        var warmUp = TryCompile(expression, Source, ["x"]) ?? throw new InvalidOperationException("The warm-up expression must compile.");
        return warmUp.CreateFrame(engine, [new JsString("a")]).TryEvaluate(out var value) && TypeConverter.ToBoolean(value);
    }

    /// <summary>What the expression needs in one engine: its literal arrays and regular expressions, and the built-ins
    /// it calls, each made once in <paramref name="engine"/> (without running a script), which reads the rule's arguments
    /// from <paramref name="arguments"/>.</summary>
    public DirectFrame CreateFrame(JsEngine engine, JsValue[] arguments) =>
        new(this, engine, arguments, [.. _constants.Select(make => make(engine))]);

    /// <summary>The expression's value, or false when it declines.</summary>
    private bool TryEvaluate(DirectFrame frame, out JsValue result)
    {
        try
        {
            // What Engine.Call does before running a function: the built-ins called below run on this evaluation's budget.
            frame.Engine.Constraints.Reset();
            result = _root(frame);
            return true;
        }
        catch (Exception e) when (e is DeclinedException or JavaScriptException)
        {
            result = JsValue.Undefined;
            return false;
        }
    }

    /// <summary>One engine's state for the expression.</summary>
    internal sealed class DirectFrame(DirectExpression expression, JsEngine engine, JsValue[] arguments, JsValue[] constants)
    {
        public JsEngine Engine => engine;

        public JsValue[] Arguments => arguments;

        public JsValue[] Constants => constants;

        /// <summary>Evaluates the expression over the arguments the caller has filled in; false when it declines.</summary>
        public bool TryEvaluate(out JsValue result) => expression.TryEvaluate(this, out result);
    }

    private sealed class DeclinedException : Exception;

    private sealed class Compiler(string source, IReadOnlyList<string> parameters, FieldLayout? layout)
    {
        /// <summary>What the expression needs made once per engine, by what it is (a literal's text, a global's path),
        /// in the order of the frame's constants.</summary>
        public OrderedDictionary<string, Func<JsEngine, JsValue>> Constants { get; } = new(StringComparer.Ordinal);

        public Node? Compile(Expression expression) => expression switch
        {
            StringLiteral text => Constant(new JsString(text.Value)),
            NumericLiteral number => Constant(JsNumber.Create(number.Value)),
            BooleanLiteral boolean => Constant(boolean.Value ? JsBoolean.True : JsBoolean.False),
            NullLiteral => Constant(JsValue.Null),
            RegExpLiteral regex when !regex.RegExp.Flags.Contains('g', StringComparison.Ordinal)
                && !regex.RegExp.Flags.Contains('y', StringComparison.Ordinal) => Evaluated(regex),
            ArrayExpression array when array.Elements.All(element => element is StringLiteral or NumericLiteral or BooleanLiteral or NullLiteral) =>
                Evaluated(array),
            Identifier identifier => Variable(identifier.Name),
            MemberExpression { Optional: false, Computed: false, Property: Identifier property, Object: var inner }
                when LeadField(inner) is { } field && Compile(inner) is { } target =>
                FieldMember(field, property.Name, Member(target, property.Name)),
            MemberExpression { Optional: false, Computed: false, Property: Identifier property } member =>
                Compile(member.Object) is { } target ? Member(target, property.Name) : null,
            UnaryExpression unary => Compile(unary.Argument) is { } operand ? Unary(unary.Operator, operand) : null,
            LogicalExpression logical => Logical(logical),
            BinaryExpression binary => Compile(binary.Left) is { } left && Compile(binary.Right) is { } right
                ? Binary(binary.Operator, Converted(binary.Operator, binary.Left, binary.Right, left),
                    Converted(binary.Operator, binary.Right, binary.Left, right))
                : null,
            CallExpression { Optional: false } call => Call(call),
            _ => null,
        };

        private static Node Constant(JsValue value) => _ => value;

        // A literal array or regex is made once per engine rather than once per evaluation: no covered operation
        // changes it or lets it escape anywhere but into the rule's result. Made as evaluating the literal would: a
        // regex by RegExpCreate(pattern, flags), an array by CreateArrayFromList of its values.
        private Node Evaluated(Expression literal) => literal switch
        {
            RegExpLiteral regex => PerEngine(source[literal.Start..literal.End],
                engine => engine.Intrinsics.RegExp.Construct([regex.RegExp.Pattern, regex.RegExp.Flags], JsValue.Undefined)),
            ArrayExpression array => Array([.. array.Elements.Select(element => element switch
            {
                StringLiteral text => new JsString(text.Value),
                NumericLiteral number => JsNumber.Create(number.Value),
                BooleanLiteral boolean => boolean.Value ? JsBoolean.True : JsBoolean.False,
                _ => JsValue.Null,
            })], source[literal.Start..literal.End]),
            _ => throw new ArgumentException("Only regex and array literals are made per engine.", nameof(literal)),
        };

        private Node Array(JsValue[] values, string text) => PerEngine(text, engine => new JsArray(engine, [.. values]));

        // A global (String) or a property path from one (Array.prototype.includes), read from the engine's global object.
        private Node Global(string path) =>
            PerEngine(path, engine => path.Split('.').Aggregate((JsValue)engine.Global, (value, name) => value.Get(name)));

        private Node PerEngine(string key, Func<JsEngine, JsValue> make)
        {
            if (!Constants.TryGetValue(key, out _))
            {
                Constants.Add(key, make);
            }

            var index = Constants.IndexOf(key);
            return frame => frame.Constants[index];
        }

        private Node? Variable(string name)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i] == name)
                {
                    return frame => frame.Arguments[i];
                }
            }

            // undefined is a read-only global; nothing else global is read as a value.
            return name == "undefined" ? Constant(JsValue.Undefined) : null;
        }

        private static Node Member(Node target, string name)
        {
            var key = new JsString(name);
            return frame => target(frame) switch
            {
                ReadOnlyRecordObject record => record.ReadValue(key),
                JsString text when name == "length" => JsNumber.Create(text.Length),
                _ => throw Declined,
            };
        }

        // lead.field: the field it names, read by slot when the lead was built with the flow's layout; null for
        // anything else.
        private FieldRef? LeadField(Expression expression) =>
            expression is MemberExpression { Optional: false, Computed: false, Object: Identifier { Name: "lead" }, Property: Identifier field }
            && parameters.Count > 0 && parameters[0] == "lead"
                ? new FieldRef(field.Name, layout)
                : null;

        // lead.field.member, the commonest read in a rule: straight from the field's value where that gives the same
        // result (LeadObject.TryReadFieldMember), else the two reads one after the other.
        private static Node FieldMember(FieldRef field, string member, Node ordinary) => frame =>
            frame.Arguments[0] is LeadObject lead && lead.TryReadFieldMember(field, member, out var value) ? value : ordinary(frame);

        // lead.field compared with a string, number or boolean literal: the comparison converts the field's object to a
        // primitive first (ToPrimitive: its value, else its normal form), so the primitive is read straight from the
        // field's value (LeadObject.TryReadFieldPrimitive) instead; where that is not certain to be the same, the
        // object, as before. Not for === and !==, which compare an object without converting it, and not against null
        // or undefined, which == compares with an object without converting it either.
        private Node Converted(Operator op, Expression operand, Expression other, Node compiled) =>
            op is Operator.Equality or Operator.Inequality or Operator.LessThan or Operator.GreaterThan or Operator.LessThanOrEqual
                or Operator.GreaterThanOrEqual
            && other is StringLiteral or NumericLiteral or BooleanLiteral
            && LeadField(operand) is { } field
                ? FieldPrimitive(field, compiled)
                : compiled;

        private static Node FieldPrimitive(FieldRef field, Node ordinary) => frame =>
            frame.Arguments[0] is LeadObject lead && lead.TryReadFieldPrimitive(field, out var value) ? value : ordinary(frame);

        private static Node? Unary(Operator op, Node operand) => op switch
        {
            Operator.LogicalNot => frame => TypeConverter.ToBoolean(operand(frame)) ? JsBoolean.False : JsBoolean.True,
            Operator.TypeOf => frame => new JsString(TypeOf(operand(frame))),
            Operator.UnaryNegation => frame => JsNumber.Create(-Values.ToNumber(operand(frame))),
            Operator.UnaryPlus => frame => JsNumber.Create(Values.ToNumber(operand(frame))),
            _ => null,
        };

        private Node? Logical(LogicalExpression logical)
        {
            if (Compile(logical.Left) is not { } left || Compile(logical.Right) is not { } right)
            {
                return null;
            }

            return logical.Operator switch
            {
                Operator.LogicalAnd => frame => left(frame) is var value && !TypeConverter.ToBoolean(value) ? value : right(frame),
                Operator.LogicalOr => frame => left(frame) is var value && TypeConverter.ToBoolean(value) ? value : right(frame),
                _ => null,
            };
        }

        private static Node? Binary(Operator op, Node left, Node right) => op switch
        {
            Operator.Equality => frame => Values.LooselyEqual(left(frame), right(frame)) ? JsBoolean.True : JsBoolean.False,
            Operator.Inequality => frame => Values.LooselyEqual(left(frame), right(frame)) ? JsBoolean.False : JsBoolean.True,
            Operator.StrictEquality => frame => Values.StrictlyEqual(left(frame), right(frame)) ? JsBoolean.True : JsBoolean.False,
            Operator.StrictInequality => frame => Values.StrictlyEqual(left(frame), right(frame)) ? JsBoolean.False : JsBoolean.True,
            // a > b is b < a; a <= b is "b < a is false" (NaN makes both false), as in IsLessThan's callers.
            Operator.LessThan => frame => Values.LessThan(left(frame), right(frame)) == true ? JsBoolean.True : JsBoolean.False,
            Operator.GreaterThan => frame => Values.LessThan(right(frame), left(frame)) == true ? JsBoolean.True : JsBoolean.False,
            Operator.LessThanOrEqual => frame => Values.LessThan(right(frame), left(frame)) == false ? JsBoolean.True : JsBoolean.False,
            Operator.GreaterThanOrEqual => frame => Values.LessThan(left(frame), right(frame)) == false ? JsBoolean.True : JsBoolean.False,
            Operator.Addition => frame => Values.Add(left(frame), right(frame)),
            Operator.Subtraction => frame => Values.Arithmetic(left(frame), right(frame), static (a, b) => a - b),
            Operator.Multiplication => frame => Values.Arithmetic(left(frame), right(frame), static (a, b) => a * b),
            Operator.Division => frame => Values.Arithmetic(left(frame), right(frame), static (a, b) => a / b),
            Operator.Remainder => frame => Values.Arithmetic(left(frame), right(frame), static (a, b) => a % b),
            _ => null,
        };

        private Node? Call(CallExpression call)
        {
            var arguments = new Node[call.Arguments.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                if (Compile(call.Arguments[i]) is not { } argument)
                {
                    return null;
                }

                arguments[i] = argument;
            }

            switch (call.Callee)
            {
                // String(x) and Number(x): the global built-ins, unless a step of that name shadows them.
                case Identifier { Name: "String" or "Number" } global when !parameters.Contains(global.Name) && arguments.Length <= 1:
                    return Invoke(Global(global.Name), Constant(JsValue.Undefined), arguments);
                case MemberExpression { Optional: false, Computed: false, Object: ArrayExpression, Property: Identifier { Name: "includes" or "indexOf" } method } member:
                    return Compile(member.Object) is { } array ? Invoke(Global("Array.prototype." + method.Name), array, arguments) : null;
                case MemberExpression { Optional: false, Computed: false, Object: RegExpLiteral, Property: Identifier { Name: "test" } } member:
                    return Compile(member.Object) is { } regex ? Invoke(Global("RegExp.prototype.test"), regex, arguments) : null;
                case MemberExpression { Optional: false, Computed: false, Property: Identifier method } member when StringMethods.Contains(method.Name):
                    return Compile(member.Object) is { } text ? Invoke(Global("String.prototype." + method.Name), StringOnly(text), arguments) : null;
                default:
                    return null;
            }
        }

        // A method of String.prototype is called only on a string: on anything else the interpreter decides what the
        // property read means.
        private static Node StringOnly(Node receiver) => frame => receiver(frame) is JsString text ? text : throw Declined;

        private static Node Invoke(Node function, Node receiver, Node[] arguments) => frame =>
        {
            var target = receiver(frame);
            var values = new JsValue[arguments.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = arguments[i](frame);
            }

            return function(frame).Call(target, values);
        };

        private static string TypeOf(JsValue value) => value.Type switch
        {
            Types.Undefined => "undefined",
            Types.Null => "object",
            Types.Boolean => "boolean",
            Types.Number => "number",
            Types.String => "string",
            Types.Object => value is Jint.Native.Function.Function ? "function" : "object",
            _ => throw Declined,
        };
    }

    /// <summary>The ECMAScript abstract operations the covered operators need, over Jint's values.</summary>
    private static class Values
    {
        private static readonly JsString Value = new("value");
        private static readonly JsString Normal = new("normal");

        /// <summary>ToPrimitive with no hint or the number hint (the string hint is only ever needed by built-ins, which
        /// convert for themselves): a primitive is itself; a field object converts as its shared <c>valueOf</c>
        /// (<c>this.value</c>), then <c>toString</c> (<c>String(this.normal)</c>), would; any other object declines.</summary>
        public static JsValue ToPrimitive(JsValue value)
        {
            if (value is not ObjectInstance)
            {
                return value;
            }

            if (value is not FieldObject { HasOwnConversions: false } field)
            {
                throw Declined;
            }

            // Nothing else can be in the way: the object has no symbol keys and Object.prototype, which is frozen, has no
            // Symbol.toPrimitive.
            if (field.ReadValue(Value) is var primitive and not ObjectInstance)
            {
                return primitive;
            }

            return field.ReadValue(Normal) is var normal and not ObjectInstance ? new JsString(TypeConverter.ToString(normal)) : throw Declined;
        }

        public static double ToNumber(JsValue value) => TypeConverter.ToNumber(ToPrimitive(value));

        /// <summary>IsStrictlyEqual.</summary>
        public static bool StrictlyEqual(JsValue x, JsValue y)
        {
            if (x.Type != y.Type)
            {
                return false;
            }

            return x.Type switch
            {
                Types.Undefined or Types.Null => true,
                Types.Number => x.AsNumber() == y.AsNumber(),
                Types.String => string.Equals(x.ToString(), y.ToString(), StringComparison.Ordinal),
                Types.Boolean => x.AsBoolean() == y.AsBoolean(),
                Types.Object => ReferenceEquals(x, y),
                _ => throw Declined,
            };
        }

        /// <summary>IsLooselyEqual.</summary>
        public static bool LooselyEqual(JsValue x, JsValue y)
        {
            while (true)
            {
                if (x.Type == y.Type)
                {
                    return StrictlyEqual(x, y);
                }

                switch (x.Type, y.Type)
                {
                    case (Types.Undefined or Types.Null, Types.Undefined or Types.Null):
                        return true;
                    case (Types.Number, Types.String):
                        return x.AsNumber() == TypeConverter.ToNumber(y);
                    case (Types.String, Types.Number):
                        return TypeConverter.ToNumber(x) == y.AsNumber();
                    case (Types.Boolean, _):
                        x = JsNumber.Create(TypeConverter.ToNumber(x));
                        continue;
                    case (_, Types.Boolean):
                        y = JsNumber.Create(TypeConverter.ToNumber(y));
                        continue;
                    case (Types.Number or Types.String, Types.Object):
                        y = ToPrimitive(y);
                        continue;
                    case (Types.Object, Types.Number or Types.String):
                        x = ToPrimitive(x);
                        continue;
                    case (Types.Symbol or Types.BigInt, _) or (_, Types.Symbol or Types.BigInt):
                        throw Declined;
                    default:
                        return false;
                }
            }
        }

        /// <summary>IsLessThan: true, false, or null for undefined (a NaN on either side). The order of the two
        /// conversions (LeftFirst) does not matter: the covered ones have no effects.</summary>
        public static bool? LessThan(JsValue x, JsValue y)
        {
            var px = ToPrimitive(x);
            var py = ToPrimitive(y);

            if (px is JsString && py is JsString)
            {
                // Code unit by code unit, as ECMAScript compares strings.
                return string.CompareOrdinal(px.ToString(), py.ToString()) < 0;
            }

            var nx = TypeConverter.ToNumber(px);
            var ny = TypeConverter.ToNumber(py);
            return double.IsNaN(nx) || double.IsNaN(ny) ? null : nx < ny;
        }

        /// <summary>The + operator: concatenation when either primitive is a string, otherwise addition.</summary>
        public static JsValue Add(JsValue x, JsValue y)
        {
            var px = ToPrimitive(x);
            var py = ToPrimitive(y);
            return px is JsString || py is JsString
                ? new JsString(TypeConverter.ToString(px) + TypeConverter.ToString(py))
                : JsNumber.Create(TypeConverter.ToNumber(px) + TypeConverter.ToNumber(py));
        }

        public static JsValue Arithmetic(JsValue x, JsValue y, Func<double, double, double> operation) =>
            JsNumber.Create(operation(ToNumber(x), ToNumber(y)));
    }
}
