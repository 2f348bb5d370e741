using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using McMaster.NETCore.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Plugins;

/// <summary>Loads one plugin folder into its own collectible load context, or says why it cannot.</summary>
internal static class PluginFolderLoader
{
    private const string SdkName = "PluggableFlows.Sdk";

    private static readonly Version HostSdkVersion = typeof(IIntegration).Assembly.GetName().Version ?? new Version(1, 0, 0, 0);

    /// <summary>Loads <paramref name="folder"/>; on failure returns null and the reasons in <paramref name="errors"/>.</summary>
    public static LoadedPlugin? Load(string folder, long order, out IReadOnlyList<PluginLoadError> errors)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var problems = new List<string>();
        var plugin = TryLoad(folder, name, order, problems);
        errors = problems.ConvertAll(problem => new PluginLoadError(name, folder, $"Plugin '{name}' was skipped: {problem}"));
        return plugin;
    }

    private static LoadedPlugin? TryLoad(string folder, string name, long order, List<string> problems)
    {
        var file = name;
        PluginLoader? loader = null;
        try
        {
            var mainAssembly = FindMainAssembly(folder, name, problems);
            if (mainAssembly is null)
            {
                return null;
            }

            file = Path.GetFileName(mainAssembly);
            if (DepsProblem(mainAssembly) is { } depsProblem)
            {
                problems.Add(depsProblem);
                return null;
            }

            var missing = MissingDependencies(mainAssembly);
            if (missing.Count > 0)
            {
                var one = missing.Count == 1;
                problems.Add($"missing {(one ? "dependency" : "dependencies")} {string.Join(", ", missing)}: " +
                    $"{Path.GetFileNameWithoutExtension(file)}.deps.json lists {(one ? "it" : "them")} but the folder does not have {(one ? "it" : "them")}. " +
                    "Copy the plugin's whole build output into the folder.");
                return null;
            }

            // Only the SDK is shared with the host (PreferSharedTypes would also hand the plugin the host's copy of any
            // library the host happens to have, e.g. another Newtonsoft.Json version). LoadInMemory reads the files into
            // memory so they can be replaced while the plugin runs: that is how a plugin is upgraded.
            loader = PluginLoader.CreateFromAssemblyFile(mainAssembly, isUnloadable: true, sharedTypes: [typeof(IIntegration)], configure: config =>
            {
                config.PreferSharedTypes = false;
                config.LoadInMemory = true;
            });
            var assembly = loader.LoadDefaultAssembly();

            var sdk = Array.Find(assembly.GetReferencedAssemblies(), reference => reference.Name == SdkName);
            if (sdk?.Version is { } sdkVersion && sdkVersion > HostSdkVersion)
            {
                problems.Add($"{file} was built against {SdkName} {sdkVersion} but this host has {HostSdkVersion}. " +
                    $"Use a plugin build for {SdkName} {HostSdkVersion} or upgrade the host.");
                return null;
            }

            var registrations = CreateIntegrations(assembly, file, problems);
            if (problems.Count > 0)
            {
                return null;
            }

            var info = new PluginInfo(name, assembly.GetName().Version?.ToString() ?? "0.0.0.0", folder);
            var plugin = new LoadedPlugin(info, loader, registrations.ConvertAll(integration => new IntegrationRegistration(integration, info)), order);
            loader = null;
            return plugin;
        }
        catch (BadImageFormatException ex)
        {
            problems.Add($"{file} is not a valid .NET assembly ({ex.Message}). Rebuild the plugin and copy its output again.");
            return null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
        {
            problems.Add(MissingDependency(ex));
            return null;
        }
#pragma warning disable CA1031 // A plugin's fault in any form is reported, never thrown into the host.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            // Also a folder changing while it is read (a copy in progress): the next file event loads it again.
            problems.Add($"{file} could not be loaded: {ex.GetType().Name}: {ex.Message}");
            return null;
        }
        finally
        {
            loader?.Dispose();
        }
    }

    private static List<IIntegration> CreateIntegrations(Assembly assembly, string file, List<string> problems)
    {
        var integrations = new List<IIntegration>();
        var types = assembly.GetExportedTypes().Where(IsIntegration).OrderBy(type => type.FullName, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            problems.Add($"no integrations found: {file} has no public, non-abstract class implementing {nameof(IIntegration)} with a public parameterless constructor.");
            return integrations;
        }

        foreach (var type in types)
        {
            IIntegration integration;
            try
            {
                integration = (IIntegration)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is FileNotFoundException or FileLoadException)
            {
                problems.Add(MissingDependency(ex.InnerException));
                continue;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                problems.Add($"the constructor of {type.FullName} threw {ex.InnerException.GetType().Name}: {ex.InnerException.Message}");
                continue;
            }

            IntegrationDescriptor? descriptor;
            try
            {
                descriptor = integration.Descriptor;
            }
#pragma warning disable CA1031 // A plugin's fault in any form is reported, never thrown into the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                problems.Add($"{type.FullName}.{nameof(IIntegration.Descriptor)} threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            var invalid = descriptor is null ? ["descriptor is null"] : DescriptorValidator.Validate(descriptor);
            if (invalid.Count > 0)
            {
                problems.Add($"{type.FullName} ('{descriptor?.Id}') has an invalid descriptor: {string.Join("; ", invalid)}.");
                continue;
            }

            integrations.Add(integration);
        }

        return integrations;
    }

    private static bool IsIntegration(Type type) =>
        type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
        && typeof(IIntegration).IsAssignableFrom(type)
        && type.GetConstructor(Type.EmptyTypes) is not null;

    private static string MissingDependency(Exception ex)
    {
        var what = ex is FileNotFoundException { FileName: { } fileName } ? fileName
            : ex is FileLoadException { FileName: { } loadName } ? loadName
            : "an assembly";
        return $"missing dependency {what} ({ex.Message}). Copy the plugin's whole build output into the folder.";
    }

    /// <summary>The plugin's main assembly: a .dll with a matching .deps.json (what a project with
    /// EnableDynamicLoading builds). With several, the one named after the folder, else the one built against the SDK.</summary>
    private static string? FindMainAssembly(string folder, string name, List<string> problems)
    {
        var candidates = Directory.EnumerateFiles(folder, "*.dll")
            .Where(path => File.Exists(Path.ChangeExtension(path, ".deps.json")))
            .Where(path => !Path.GetFileNameWithoutExtension(path).Equals(SdkName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToList();
        switch (candidates.Count)
        {
            case 0:
                problems.Add("the folder has no plugin assembly: expected a .dll with a matching .deps.json (the build output of a plugin project).");
                return null;
            case 1:
                return candidates[0];
        }

        var named = candidates.Where(path => Path.GetFileNameWithoutExtension(path).Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count == 1)
        {
            return named[0];
        }

        var builtAgainstSdk = candidates.Where(ReferencesSdk).ToList();
        if (builtAgainstSdk.Count == 1)
        {
            return builtAgainstSdk[0];
        }

        problems.Add($"several assemblies could be the plugin's main assembly ({string.Join(", ", candidates.Select(Path.GetFileName))}); " +
            $"name the main assembly after the folder ('{name}.dll') or keep one plugin per folder.");
        return null;
    }

    private static bool ReferencesSdk(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            if (!reader.HasMetadata)
            {
                return false;
            }

            var metadata = reader.GetMetadataReader();
            return metadata.AssemblyReferences.Any(handle => metadata.StringComparer.Equals(metadata.GetAssemblyReference(handle).Name, SdkName));
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// What is wrong with the plugin's deps.json, or null. The runtime's native dependency resolver does not survive
    /// some malformed files (it aborts the whole process), so nothing reaches it before this says the shape is sound.
    /// </summary>
    private static string? DepsProblem(string mainAssembly)
    {
        var path = Path.ChangeExtension(mainAssembly, ".deps.json");
        try
        {
            using var deps = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = deps.RootElement;
            var sound = root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("runtimeTarget", out var runtimeTarget) && runtimeTarget.ValueKind == JsonValueKind.Object
                && runtimeTarget.TryGetProperty("name", out var targetName) && targetName.ValueKind == JsonValueKind.String
                && root.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Object
                && targets.TryGetProperty(targetName.GetString()!, out var target) && target.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("libraries", out var libraries) && libraries.ValueKind == JsonValueKind.Object;
            return sound
                ? null
                : $"{Path.GetFileName(path)} is not a .NET dependency manifest (it needs runtimeTarget, targets and libraries). Rebuild the plugin and copy its whole build output.";
        }
        catch (JsonException exception)
        {
            return $"{Path.GetFileName(path)} is not valid JSON ({exception.Message}). Rebuild the plugin and copy its whole build output.";
        }
    }

    /// <summary>
    /// The runtime assemblies the plugin's deps.json lists that are not in the folder. Checked before loading because a
    /// load context falls back to the host for an assembly it cannot find: a plugin missing its own copy of a library
    /// the host also has would silently run on the host's version instead of failing.
    /// </summary>
    private static List<string> MissingDependencies(string mainAssembly)
    {
        var folder = Path.GetDirectoryName(mainAssembly)!;
        using var deps = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(mainAssembly, ".deps.json")));
        var missing = new List<string>();
        if (!deps.RootElement.TryGetProperty("runtimeTarget", out var runtimeTarget)
            || !runtimeTarget.TryGetProperty("name", out var targetName)
            || !deps.RootElement.TryGetProperty("targets", out var targets)
            || !targets.TryGetProperty(targetName.GetString() ?? "", out var target))
        {
            return missing;
        }

        foreach (var library in target.EnumerateObject())
        {
            if (!library.Value.TryGetProperty("runtime", out var runtime))
            {
                continue;
            }

            foreach (var asset in runtime.EnumerateObject())
            {
                var fileName = Path.GetFileName(asset.Name);
                if (!Path.GetFileNameWithoutExtension(fileName).Equals(SdkName, StringComparison.OrdinalIgnoreCase)
                    && !File.Exists(Path.Combine(folder, fileName)))
                {
                    missing.Add($"{fileName} ({library.Name})");
                }
            }
        }

        return missing;
    }
}
