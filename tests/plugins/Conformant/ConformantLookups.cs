namespace PluggableFlows.TestPlugins;

/// <summary>The well-behaved request/response lookup, as a plugin would ship it.</summary>
public sealed class ConformantLookup() : PhoneLookupBase("test.conformant.lookup", "Conformant phone lookup");

/// <summary>The well-behaved handler lookup, as a plugin would ship it.</summary>
public sealed class ConformantHandler() : PhoneLookupHandlerBase("test.conformant.handler", "Conformant phone lookup (handler)");
