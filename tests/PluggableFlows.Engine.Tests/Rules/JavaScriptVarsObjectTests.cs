using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// What a script sees of <c>lead</c>, its fields, steps, <c>source</c>, <c>flow</c> and <c>submission</c>: ordinary
/// extensible objects whose own properties are enumerable, read-only and non-configurable, in a fixed order. The objects
/// convert a value only when a script reads it; these cases pin that this is invisible (each expected text is what the
/// rule gave when every property was defined up front).
/// </summary>
public class JavaScriptVarsObjectTests
{
    [Theory]
    [InlineData("JSON.stringify(Object.keys(lead))",
        "[\"first_name\",\"last_name\",\"code\",\"comments\",\"rude\",\"price\",\"age\",\"opt_in\",\"homeowner\",\"military\",\"income_range\",\"debt_range\",\"open_range\",\"dob\",\"move_date\",\"call_at\",\"phone_1\",\"phone_2\",\"state\",\"email\",\"ssn\",\"password\",\"id\"]")]
    [InlineData("JSON.stringify(Reflect.ownKeys(lead.phone_1))",
        "[\"valueOf\",\"toString\",\"raw\",\"normal\",\"valid\",\"value\",\"area\",\"exchange\",\"line\"]")]
    [InlineData("JSON.stringify(Object.getOwnPropertyNames(lead.state))",
        "[\"valueOf\",\"toString\",\"raw\",\"normal\",\"valid\",\"value\",\"name\"]")]
    [InlineData("JSON.stringify(lead.phone_1)",
        "{\"raw\":\"(512) 555-1212\",\"normal\":\"5125551212\",\"valid\":true,\"value\":\"5125551212\",\"area\":\"512\",\"exchange\":\"555\",\"line\":\"1212\"}")]
    [InlineData("JSON.stringify(lead.state)",
        "{\"raw\":\"Texas\",\"normal\":\"TX\",\"valid\":true,\"value\":\"TX\",\"name\":\"Texas\"}")]
    [InlineData("JSON.stringify(Object.entries(lead.age))",
        "[[\"raw\",\"30\"],[\"normal\",\"30\"],[\"valid\",true],[\"value\",30]]")]
    [InlineData("JSON.stringify(check)",
        "{\"outcome\":\"success\",\"line_type\":\"mobile\",\"score\":42.5,\"count\":3,\"amount\":10.5,\"active\":true,\"yes_text\":\"Yes\",\"text_number\":\"15\",\"blank_text\":\"  \",\"tags\":[\"a\",\"B\"],\"empty_list\":[],\"nested\":{\"x\":\"y\"},\"checked_at\":\"2020-06-01T00:00:00.0000000+00:00\"}")]
    [InlineData("JSON.stringify(Object.keys(check))",
        "[\"outcome\",\"reason\",\"price\",\"cost\",\"line_type\",\"score\",\"count\",\"amount\",\"active\",\"yes_text\",\"text_number\",\"blank_text\",\"tags\",\"empty_list\",\"nested\",\"checked_at\"]")]
    [InlineData("(() => { const keys = []; for (const k in lead.phone_1) keys.push(k); return keys.join(); })()",
        "raw,normal,valid,value,area,exchange,line")]
    [InlineData("(() => { const keys = []; for (const k in lead) keys.push(k); return keys.join(); })()",
        "first_name,last_name,code,comments,rude,price,age,opt_in,homeowner,military,income_range,debt_range,open_range,dob,move_date,call_at,phone_1,phone_2,state,email,ssn,password,id")]
    [InlineData("JSON.stringify({ ...lead.state })",
        "{\"raw\":\"Texas\",\"normal\":\"TX\",\"valid\":true,\"value\":\"TX\",\"name\":\"Texas\"}")]
    [InlineData("JSON.stringify(Object.values(source)) + JSON.stringify(flow) + JSON.stringify(submission)",
        "[\"src-1\",\"Acme\"]{\"id\":\"flow-1\",\"name\":\"Demo\",\"version\":\"abc123\"}{\"id\":\"sub-1\",\"timestamp\":\"2025-06-15T12:00:00.0000000+00:00\",\"ip\":\"203.0.113.9\"}")]
    [InlineData("Object.keys(lead.state).length + ',' + Object.getOwnPropertyNames(lead.phone_1).length + ',' + Object.getOwnPropertySymbols(lead).length",
        "5,9,0")]
    [InlineData("JSON.stringify(Object.fromEntries(Object.entries(lead.income_range)))",
        "{\"raw\":\"50-100\",\"normal\":\"50-100\",\"valid\":true,\"value\":\"50-100\",\"min\":50,\"max\":100,\"avg\":75,\"mid\":75}")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptors(source))",
        "{\"id\":{\"value\":\"src-1\",\"writable\":false,\"enumerable\":true,\"configurable\":false},\"name\":{\"value\":\"Acme\",\"writable\":false,\"enumerable\":true,\"configurable\":false}}")]
    public void Vars_objects_list_every_property_in_order(string script, string expected) =>
        Result(script).ShouldBe(expected);

    [Theory]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(lead, 'state').writable)",
        "false")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(lead.state, 'normal'))",
        "{\"value\":\"TX\",\"writable\":false,\"enumerable\":true,\"configurable\":false}")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(lead.state, 'valueOf').enumerable)",
        "false")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(check, 'line_type'))",
        "{\"value\":\"mobile\",\"writable\":false,\"enumerable\":true,\"configurable\":false}")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(check.nested, 'x'))",
        "{\"value\":\"y\",\"writable\":false,\"enumerable\":true,\"configurable\":false}")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(source, 'id'))",
        "{\"value\":\"src-1\",\"writable\":false,\"enumerable\":true,\"configurable\":false}")]
    [InlineData("(() => { try { lead.state = 1; return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "TypeError: Cannot assign to read only property 'state' of Object")]
    [InlineData("(() => { try { delete lead.state; return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "TypeError: Cannot delete property 'state' of Object")]
    [InlineData("(() => { try { lead.state.normal = 'CA'; return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "TypeError: Cannot assign to read only property 'normal' of Object")]
    [InlineData("(() => { try { check.line_type = 'x'; return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "TypeError: Cannot assign to read only property 'line_type' of Object")]
    [InlineData("(() => { try { Object.defineProperty(lead, 'state', { value: 1 }); return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "TypeError: Cannot redefine property: state")]
    [InlineData("(() => { try { Object.defineProperty(lead, 'state', { value: lead.state }); return 'same ok'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "same ok")]
    [InlineData("String(Reflect.set(lead, 'state', 1)) + Reflect.deleteProperty(lead, 'state') + Reflect.defineProperty(lead, 'zz', { value: 1 }) + Reflect.preventExtensions(lead)",
        "falsefalsetruetrue")]
    [InlineData("lead.propertyIsEnumerable('state') + ',' + lead.state.propertyIsEnumerable('valueOf')",
        "true,false")]
    public void Vars_object_properties_are_read_only(string script, string expected) =>
        Result(script).ShouldBe(expected);

    [Theory]
    [InlineData("String(Object.isFrozen(lead)) + Object.isFrozen(lead.state) + Object.isFrozen(check) + Object.isFrozen(check.nested) + Object.isFrozen(source) + Object.isFrozen(flow) + Object.isFrozen(submission) + Object.isExtensible(lead)",
        "falsefalsefalsefalsefalsefalsefalsetrue")]
    [InlineData("String(Object.isFrozen(check.tags)) + Array.isArray(check.tags)",
        "falsetrue")]
    [InlineData("(() => { try { lead.newField = 1; return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "no")]
    [InlineData("(() => { try { Object.defineProperty(lead, 'x', { value: 1 }); return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "no")]
    [InlineData("(() => { try { Object.setPrototypeOf(lead, null); return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "no")]
    [InlineData("(() => { try { lead.__proto__ = {}; return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "no")]
    [InlineData("(() => { try { Object.assign(lead, { a: 1 }); return 'no'; } catch (e) { return e.constructor.name + ': ' + e.message; } })()",
        "no")]
    [InlineData("Object.getPrototypeOf(lead) === Object.prototype && Object.getPrototypeOf(lead.state) === Object.prototype && Object.getPrototypeOf(check) === Object.prototype ? 'proto ok' : 'proto differs'",
        "proto ok")]
    [InlineData("String(lead) + ' ' + String(check) + ' ' + Object.prototype.toString.call(lead.state) + ' ' + typeof lead + typeof lead.state",
        "[object Object] [object Object] [object Object] objectobject")]
    [InlineData("String('state' in lead) + ('missing' in lead) + ('valueOf' in lead.state) + ('area' in lead.phone_1) + ('id' in lead) + ('toString' in lead)",
        "truefalsetruetruetruetrue")]
    [InlineData("String(lead.hasOwnProperty('state')) + lead.state.hasOwnProperty('valueOf') + lead.hasOwnProperty('toString') + Object.prototype.hasOwnProperty.call(check, 'score')",
        "truetruefalsetrue")]
    [InlineData("JSON.stringify(Object.getOwnPropertyNames(lead.state.valueOf))",
        "[\"length\",\"name\"]")]
    [InlineData("String(lead.state.valueOf === lead.age.valueOf) + (lead.state.toString === lead.phone_1.toString)",
        "truetrue")]
    [InlineData("String(lead.state === lead.state) + (check.nested === check.nested) + (lead.phone_1 === lead['phone_1'])",
        "truetruetrue")]
    public void Vars_objects_are_ordinary_extensible_objects(string script, string expected) =>
        Result(script).ShouldBe(expected);

    [Theory]
    [InlineData("JSON.stringify([lead.last_name.normal, lead.last_name.valid, lead.last_name.value, lead.military.value, lead.dob.value, lead.call_at.value, lead.price.value, lead.opt_in.value, lead.open_range.max])",
        "[\"\",true,\"\",\"maybe\",\"2019-12-31\",\"2020-01-01T10:00:00.0000000+00:00\",1000.5,true,null]")]
    [InlineData("JSON.stringify([check.checked_at, check.amount, check.price, check.cost, check.outcome, check.reason, check.tags])",
        "[\"2020-06-01T00:00:00.0000000+00:00\",10.5,null,null,\"success\",null,[\"a\",\"B\"]]")]
    public void Vars_values_convert_to_javascript_types(string script, string expected) =>
        Result(script).ShouldBe(expected);

    [Theory]
    [InlineData("(() => { const s = lead.state; const p = lead.phone_1.area; return JSON.stringify(Object.keys(lead)) + JSON.stringify(Object.keys(lead.phone_1)) + (s === lead.state); })()",
        "[\"first_name\",\"last_name\",\"code\",\"comments\",\"rude\",\"price\",\"age\",\"opt_in\",\"homeowner\",\"military\",\"income_range\",\"debt_range\",\"open_range\",\"dob\",\"move_date\",\"call_at\",\"phone_1\",\"phone_2\",\"state\",\"email\",\"ssn\",\"password\",\"id\"][\"raw\",\"normal\",\"valid\",\"value\",\"area\",\"exchange\",\"line\"]true")]
    [InlineData("(() => { lead.x = 1; lead.phone_1.y = 2; return JSON.stringify(Object.keys(lead).slice(-3)) + JSON.stringify(lead.phone_1); })()",
        "[\"password\",\"id\",\"x\"]{\"raw\":\"(512) 555-1212\",\"normal\":\"5125551212\",\"valid\":true,\"value\":\"5125551212\",\"area\":\"512\",\"exchange\":\"555\",\"line\":\"1212\",\"y\":2}")]
    [InlineData("(() => { const s = lead.state; Object.freeze(lead); return String(s === lead.state) + Object.isFrozen(lead) + Object.isFrozen(lead.state) + Object.keys(lead).length; })()",
        "truetruefalse23")]
    [InlineData("(() => { const before = lead.age; Object.setPrototypeOf(lead, { inherited: 5 }); return String(lead.inherited) + (lead.age === before) + lead.hasOwnProperty; })()",
        "5truefunction hasOwnProperty() { [native code] }")]
    [InlineData("(() => { const o = Object.create(lead); o.extra = 1; return JSON.stringify(Object.keys(o)) + o.state.normal + ('state' in o); })()",
        "[\"extra\"]TXtrue")]
    [InlineData("(() => { const { state, ...rest } = lead; return state.normal + Object.keys(rest).length; })()",
        "TX22")]
    [InlineData("JSON.stringify(Object.getOwnPropertyDescriptor(lead, 'id')) + JSON.stringify(Object.getOwnPropertyDescriptor(lead, 'nope'))",
        "{\"value\":\"lead-1\",\"writable\":false,\"enumerable\":true,\"configurable\":false}undefined")]
    [InlineData("String(lead[0]) + lead[Symbol.iterator] + lead['sta' + 'te'].normal",
        "undefinedundefinedTX")]
    public void Reading_some_properties_first_changes_nothing_a_script_can_see(string script, string expected) =>
        Result(script).ShouldBe(expected);

    [Fact]
    public void A_component_named_like_a_standard_property_replaces_it_in_its_place()
    {
        var fields = LeadFields();
        fields["odd"] = new FieldValue("odd", "raw", "normal", null, true,
            new Dictionary<string, object?> { ["value"] = "component", ["toString"] = "text", ["extra"] = 1 });

        Result("JSON.stringify(Reflect.ownKeys(lead.odd)) + JSON.stringify(lead.odd) + lead.odd.propertyIsEnumerable('toString')", Lead(fields))
            .ShouldBe("""
                ["valueOf","toString","raw","normal","valid","value","extra"]{"toString":"text","raw":"raw","normal":"normal","valid":true,"value":"component","extra":1}true
                """);
    }

    private static string Result(string script, LeadVars? vars = null)
    {
        var trace = new RuleTrace();
        var result = Compile(new ScriptRuleDefinition(ScriptLanguage.JavaScript, script, At)).Run(vars ?? Lead(), trace);
        result.Error.ShouldBeNull();
        return trace.Entries.ShouldHaveSingleItem().ResolvedLhv.ShouldNotBeNull();
    }
}
