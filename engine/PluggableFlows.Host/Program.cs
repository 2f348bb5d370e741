using PluggableFlows.Host;

// Before anything opens a socket: .NET reads this setting once.
InlineSocketCompletions.PreferByDefault();
await LeadServer.Build(args).RunAsync();
