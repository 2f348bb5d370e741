using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PluggableFlows.Host.Tests;

/// <summary>Flow files are watched: edits, new, deleted and renamed flows are swapped in without a restart; an edit with
/// problems keeps the previous version serving.</summary>
public sealed class FlowReloadTests
{
    [Fact]
    public async Task Edited_flow_is_swapped_in_and_leads_run_on_its_new_version()
    {
        await using var server = new ScratchServer();
        await server.WriteFlowAsync("reload.yaml", server.Flow("reload", "stopped by v1"));
        await server.StartAsync();
        var before = VersionOf(server, "reload");
        (await Answer(server, "reload", "stop")).Reason.ShouldBe("stopped by v1");

        var generation = server.HostedFlows.Generation;
        await server.WriteFlowAsync("reload.yaml", server.Flow("reload", "stopped by v2"));
        await server.WaitForReloadAsync(generation);

        (await Answer(server, "reload", "stop")).Reason.ShouldBe("stopped by v2");
        var after = VersionOf(server, "reload");
        after.ShouldNotBe(before);
        var delivered = await Answer(server, "reload", "Ada");
        DeliveredVersion(server, delivered.Id).ShouldBe(after);
    }

    [Fact]
    public async Task Edit_with_problems_keeps_the_previous_version_serving_and_logs_each_diagnostic_with_its_place()
    {
        await using var server = new ScratchServer();
        await server.WriteFlowAsync("keep.yaml", server.Flow("keep", "stopped by v1"));
        await server.StartAsync();
        var version = VersionOf(server, "keep");

        var generation = server.HostedFlows.Generation;
        await server.WriteFlowAsync("keep.yaml", server.Flow("keep", "stopped by v2").Replace("type: filter", "type: nonsense", StringComparison.Ordinal));
        await server.WaitForReloadAsync(generation);

        (await Answer(server, "keep", "stop")).Reason.ShouldBe("stopped by v1");
        VersionOf(server, "keep").ShouldBe(version);
        server.HostedFlows.FailedFiles.ShouldBe(1);
        var file = Path.Combine(server.Flows, "keep.yaml");
        // file:line:column of the step whose type is wrong.
        var line = server.Flow("keep", "v2").Split('\n').ToList().FindIndex(l => l.Contains("type: filter", StringComparison.Ordinal)) + 1;
        server.Log.Entries.ShouldContain(entry => entry.Level == LogLevel.Error
            && entry.Message.StartsWith($"{file}:{line}:", StringComparison.Ordinal) && entry.Message.Contains("nonsense", StringComparison.Ordinal));
    }

    [Fact]
    public async Task New_flow_file_is_served_and_a_deleted_one_stops_being_served()
    {
        await using var server = new ScratchServer();
        await server.StartAsync();
        using (var missing = await server.SubmitAsync("added", "Ada"))
        {
            missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var generation = server.HostedFlows.Generation;
        await server.WriteFlowAsync("added.yml", server.Flow("added", "stopped"));
        await server.WaitForReloadAsync(generation);
        (await Answer(server, "added", "Ada")).Outcome.ShouldBe("success");

        generation = server.HostedFlows.Generation;
        File.Delete(Path.Combine(server.Flows, "added.yml"));
        await server.WaitForReloadAsync(generation);

        using var gone = await server.SubmitAsync("added", "Ada");
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        server.HostedFlows.All.ShouldNotContainKey("added");
        server.Log.Entries.ShouldContain(entry => entry.Message.Contains("no longer served", StringComparison.Ordinal)
            && entry.Message.Contains("'added'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changed_flow_id_stops_serving_the_old_id_and_serves_the_new_one()
    {
        await using var server = new ScratchServer();
        await server.WriteFlowAsync("renamed.yaml", server.Flow("old-id", "stopped"));
        await server.StartAsync();
        (await Answer(server, "old-id", "Ada")).Outcome.ShouldBe("success");

        var generation = server.HostedFlows.Generation;
        await server.WriteFlowAsync("renamed.yaml", server.Flow("new-id", "stopped"));
        await server.WaitForReloadAsync(generation);

        using var old = await server.SubmitAsync("old-id", "Ada");
        old.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Answer(server, "new-id", "Ada")).Outcome.ShouldBe("success");
        server.HostedFlows.All.Keys.ShouldBe(["new-id"]);
    }

    [Fact]
    public async Task Changed_rule_file_is_read_again_by_the_flows_that_use_it()
    {
        const string gate = """
              - key: gate
                type: filter
                stop_if:
                  rules:
                    - { rule: gate }
                reason: "gated"
            """;
        await using var server = new ScratchServer();
        await File.WriteAllTextAsync(Path.Combine(server.Rules, "gate.js"), "lead.first_name == 'Ada'");
        await server.WriteFlowAsync("gated.yaml", server.Flow("gated", "stopped", gate));
        await server.StartAsync();
        (await Answer(server, "gated", "Ada")).Reason.ShouldBe("gated");

        var generation = server.HostedFlows.Generation;
        await File.WriteAllTextAsync(Path.Combine(server.Rules, "gate.js"), "lead.first_name == 'Grace'");
        await server.WaitForReloadAsync(generation);

        (await Answer(server, "gated", "Ada")).Outcome.ShouldBe("success");
        (await Answer(server, "gated", "Grace")).Reason.ShouldBe("gated");
    }

    [Fact]
    public async Task Flows_are_not_watched_when_watching_is_off()
    {
        await using var server = new ScratchServer();
        await server.WriteFlowAsync("still.yaml", server.Flow("still", "stopped"));
        await server.StartAsync(new Dictionary<string, string?> { ["PluggableFlows:WatchFlows"] = "false" });

        server.HostedFlows.IsWatching.ShouldBeFalse();
        (await Answer(server, "still", "stop")).Reason.ShouldBe("stopped");
    }

    internal static string VersionOf(ScratchServer server, string flowId) =>
        server.HostedFlows.TryGet(flowId, out var flow) ? flow.Flow.Definition.Version : throw new ShouldAssertException($"'{flowId}' is not served");

    internal static async Task<LeadAnswer> Answer(ScratchServer server, string flowId, string firstName)
    {
        using var response = await server.SubmitAsync(flowId, firstName);
        return await SubmitTests.Answer(response);
    }

    internal static string DeliveredVersion(ScratchServer server, string leadId)
    {
        var line = File.ReadLines(server.Deliveries).Single(l => l.Contains(leadId, StringComparison.Ordinal));
        using var json = JsonDocument.Parse(line);
        return FindString(json.RootElement, "version") ?? throw new ShouldAssertException($"no version in {line}");
    }

    private static string? FindString(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == name && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }

            if (FindString(property.Value, name) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }
}
