using PluggableFlows.Host;

await LeadServer.Build(args).RunAsync();
