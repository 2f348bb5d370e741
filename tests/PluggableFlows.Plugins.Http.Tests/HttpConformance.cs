using PluggableFlows.Conformance;

namespace PluggableFlows.Plugins.Http.Tests;

public sealed class HttpJsonConformance : IntegrationConformanceTests<HttpJson>;

public sealed class HttpFormConformance : IntegrationConformanceTests<HttpForm>;
