using PublicApiGenerator;
using PluggableFlows.Sdk;

namespace PluggableFlows.Sdk.Tests;

/// <summary>
/// The SDK is the contract every plugin is built against: its public surface may only change on purpose.
/// When this fails, review the diff; if the change is intended, copy the received file over the approved one.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        var api = typeof(IIntegration).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        });
        var approvedPath = Path.Combine(AppContext.BaseDirectory, "PluggableFlows.Sdk.approved.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : "";

        if (Normalize(api) != Normalize(approved))
        {
            var received = Path.Combine(SourceDirectory(), "PluggableFlows.Sdk.received.txt");
            File.WriteAllText(received, api);
            Assert.Fail($"The SDK's public API changed. Review {received} and, if intended, copy it over PluggableFlows.Sdk.approved.txt.");
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}
