using System.CommandLine;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Cli.Commands;

/// <summary>The <c>--store</c> option of every command that reads or writes the embedded store.</summary>
internal static class StoreOption
{
    public static Option<string> Create() => new("--store")
    {
        Description = $"The SQLite store file (default: {StoreOptions.DefaultPath}, relative to the working directory).",
        DefaultValueFactory = _ => StoreOptions.DefaultPath,
    };

    public static SqliteStore Open(string path) => new(new StoreOptions { Path = path });
}
