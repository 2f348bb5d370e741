using PluggableFlows.Cli;
using Spectre.Console;

return await new PflowApp(Console.In, Console.Out, Console.Error, AnsiConsole.Console).RunAsync(args);
