using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Rules.CSharpRuleTests;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// Hostile C# rules: each is either rejected when the flow compiles, naming the forbidden API and its place, or
/// stopped at run time with an error, and the host carries on evaluating rules afterwards.
/// </summary>
public class CSharpHostileRuleTests
{
    [Theory]
    [InlineData("read a file", "System.IO.File.ReadAllText(\"/etc/passwd\").Length > 0", "System.IO.File.ReadAllText (files)")]
    [InlineData("list a folder", "System.IO.Directory.GetFiles(\"/\").Length > 0", "System.IO.Directory.GetFiles (files)")]
    [InlineData("open a socket", "new System.Net.Sockets.TcpClient(\"127.0.0.1\", 80).Connected", "'Sockets' does not exist")]
    [InlineData("call a web service", "new System.Net.Http.HttpClient().GetStringAsync(\"http://127.0.0.1/\").Result.Length > 0", "'Http' does not exist")]
    [InlineData("start a process", "System.Diagnostics.Process.Start(\"sh\") != null", "'Process' does not exist")]
    [InlineData("exit the process", "((Func<bool>)(() => { Environment.Exit(1); return true; }))()", "System.Environment.Exit (the host process)")]
    [InlineData("fail fast", "((Func<bool>)(() => { Environment.FailFast(\"x\"); return true; }))()", "System.Environment.FailFast (the host process)")]
    [InlineData("read the environment", "Environment.GetEnvironmentVariable(\"HOME\") != null", "System.Environment.GetEnvironmentVariable (the host process)")]
    [InlineData("reflect into a private field", "lead.GetType().GetField(\"_vars\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance) != null", "System.Object.GetType (reflection)")]
    [InlineData("typeof", "typeof(string).Assembly != null", "typeof (reflection)")]
    [InlineData("load an assembly", "System.Reflection.Assembly.LoadFrom(\"/tmp/evil.dll\") != null", "System.Reflection.Assembly.LoadFrom (reflection)")]
    [InlineData("create an instance by name", "Activator.CreateInstance(\"x\", \"y\") != null", "System.Activator.CreateInstance (reflection)")]
    [InlineData("delegate reflection", "((Func<bool>)(() => true)).Method.Name == \"x\"", "System.Delegate.Method (reflection)")]
    [InlineData("sleep", "((Func<bool>)(() => { System.Threading.Thread.Sleep(10000); return true; }))()", "System.Threading.Thread.Sleep (threads and tasks)")]
    [InlineData("spin a thread", "new System.Threading.Thread(() => { }) != null", "System.Threading.Thread.ctor (threads and tasks)")]
    [InlineData("run a task", "System.Threading.Tasks.Task.Run(() => 1).Result == 1", "System.Threading.Tasks.Task.Run (threads and tasks)")]
    [InlineData("collect garbage", "((Func<bool>)(() => { GC.Collect(); return true; }))()", "System.GC.Collect (runtime internals)")]
    [InlineData("marshal memory", "System.Runtime.InteropServices.Marshal.AllocHGlobal(1000000) != IntPtr.Zero", "System.Runtime.InteropServices.Marshal.AllocHGlobal (runtime internals)")]
    [InlineData("unsafe code", "((Func<bool>)(() => { unsafe { int x = 1; int* p = &x; return *p == 1; } }))()", "Unsafe code")]
    [InlineData("dynamic", "((dynamic)lead.state).ToString() == \"TX\"", "dynamic")]
    [InlineData("giant array", "new byte[int.MaxValue].Length > 0", "arrays of 2,147,483,647 elements")]
    [InlineData("array sized at run time", "new byte[lead.phone_1.normal.Length * 100000000].Length > 0", "arrays of a size computed at run time")]
    [InlineData("giant string", "new string('x', int.MaxValue).Length > 0", "System.String.ctor (building a string from a count)")]
    [InlineData("endless sequence", "Enumerable.Repeat(1, int.MaxValue).Count() > 0", "System.Linq.Enumerable.Repeat (sequences of arbitrary length)")]
    [InlineData("preallocate", "new List<int>(int.MaxValue).Count == 0", "with a capacity (preallocating memory)")]
    [InlineData("stackalloc", "((Func<bool>)(() => { Span<byte> s = stackalloc byte[100000000]; return s.Length > 0; }))()", "stackalloc")]
    [InlineData("read the clock", "DateTime.Now.Year > 2000", "System.DateTime.Now (the clock (use submission.timestamp))")]
    [InlineData("write to the console", "((Func<bool>)(() => { Console.WriteLine(\"x\"); return true; }))()", "'Console' does not exist")]
    [InlineData("catch the budget", "((Func<bool>)(() => { try { while (true) { } } catch { } return true; }))()", "try/catch")]
    [InlineData("goto loop", "((Func<bool>)(() => { again: goto again; }))()", "goto")]
    [InlineData("lock", "((Func<bool>)(() => { lock (\"x\") { return true; } }))()", "lock (threads)")]
    [InlineData("the vars behind the lead", "__vars.Fields.Count > 0", "PluggableFlows.Engine.Vars.LeadVars")]
    [InlineData("a type by name", "Type.GetType(\"System.IO.File\") != null", "System.Type")]
    [InlineData("AppDomain", "AppDomain.CurrentDomain.GetAssemblies().Length > 0", "System.AppDomain")]
    public void Hostile_rule_is_rejected_at_compile_time_naming_the_forbidden_api(string what, string script, string expected)
    {
        var (_, diagnostics) = CompileWithDiagnostics(Cs(script));

        diagnostics.ShouldNotBeEmpty(what);
        var diagnostic = diagnostics[0];
        // Either the allow-list names it (PF0223), or it is not even referenced: a compile error naming it (PF0222).
        diagnostic.Code.ShouldBeOneOf(["PF0223", "PF0222"], $"{what}: {diagnostic}");
        diagnostic.Message.ShouldContain(expected, Case.Sensitive, $"{what}: {diagnostic}");
        diagnostic.Location.File.ShouldBe(At.File);
        diagnostic.Location.Line.ShouldBe(At.Line);
    }

    [Fact]
    public void A_forbidden_call_is_reported_once_at_its_column()
    {
        var (_, diagnostics) = CompileWithDiagnostics(Cs("lead.state == \"TX\" && System.IO.File.Exists(\"/etc/passwd\")"));

        var diagnostic = diagnostics.ShouldHaveSingleItem();
        diagnostic.Location.ShouldBe(At with { Column = At.Column + 22 });
        diagnostic.Message.ShouldStartWith("Rules may not use System.IO.File.Exists (files). (at line 1, column 23 of the rule)");
    }

    [Theory]
    [InlineData("infinite loop", "((Func<bool>)(() => { while (true) { } }))()", "budget")]
    [InlineData("infinite for", "((Func<bool>)(() => { for (;;) { } }))()", "budget")]
    [InlineData("loop in a lambda", "lead.state.normal.Any(c => { do { } while (c > 0); return true; })", "budget")]
    [InlineData("endless LINQ over a lambda", "new[] { 1 }.SelectMany(x => new[] { x, x }).Any(x => { while (x > 0) { } return false; })", "budget")]
    public void Runaway_loop_stops_with_a_budget_error(string what, string script, string expected) =>
        RunsIntoAnError(what, script, expected);

    [Fact]
    public void Deep_recursion_stops_with_a_budget_error_not_a_stack_overflow() =>
        RunsIntoAnError("recursion", """
            int Down(int n) => n == 0 ? 0 : 1 + Down(n - 1);
            return Down(1_000_000) > 0;
            """, "budget");

    [Fact]
    public void Infinite_recursion_stops_with_a_budget_error() =>
        RunsIntoAnError("infinite recursion", """
            bool Forever(int n) => Forever(n + 1);
            return Forever(0);
            """, "budget");

    [Fact]
    public void Recursion_through_lambdas_stops_with_a_budget_error() =>
        RunsIntoAnError("lambda recursion", """
            Func<int, int> f = null!;
            f = n => f(n + 1);
            return f(0) > 0;
            """, "budget");

    [Fact]
    public void Doubling_a_string_in_a_loop_stops_at_the_memory_budget() =>
        RunsIntoAnError("giant allocation", """
            var s = "xxxxxxxxxxxxxxxx";
            for (var i = 0; i < 40; i++) { s = s + s; }
            return s.Length > 0;
            """, "memory budget");

    [Fact]
    public void Catastrophic_pattern_times_out() =>
        RunsIntoAnError("regex", "matches(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", \"^(a+)+$\")", "regular expression");

    [Fact]
    public void An_exception_in_a_rule_is_the_rule_s_error() =>
        RunsIntoAnError("throw", "lead.state.normal[100] == 'x'", "IndexOutOfRangeException");

    [Fact]
    public void A_rule_may_throw_on_purpose_and_that_is_its_error() =>
        RunsIntoAnError("throw", "lead.state == \"CA\" ? true : throw new InvalidOperationException(\"not CA\")", "not CA");

    private static void RunsIntoAnError(string what, string script, string expected)
    {
        var compiled = Compile(Cs(script));
        var trace = new RuleTrace();

        var result = compiled.Run(Lead(), trace);

        result.IsError.ShouldBeTrue(what);
        result.Error.ShouldNotBeNull().ShouldContain(expected, Case.Insensitive, what);
        trace.Entries.ShouldHaveSingleItem().Error.ShouldNotBeNull().ShouldContain(expected, Case.Insensitive);
        // The host is unharmed: the same thread evaluates the next rule normally, and the budget is fresh.
        Compile(Cs("lead.state == \"TX\" && ((Func<int, bool>)(n => n > 0))(1)")).Run(Lead()).ShouldBe(new RuleSetResult(true, null));
        compiled.Run(Lead()).IsError.ShouldBeTrue("the rule fails the same way every time");
    }
}
