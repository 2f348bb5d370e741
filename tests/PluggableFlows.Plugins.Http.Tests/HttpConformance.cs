using PluggableFlows.Conformance;

namespace PluggableFlows.Plugins.Http.Tests;

public sealed class HttpJsonConformance : IntegrationConformanceTests<HttpJson>;

public sealed class HttpFormConformance : IntegrationConformanceTests<HttpForm>;

public sealed class HttpQueryConformance : IntegrationConformanceTests<HttpQuery>;

public sealed class HttpXmlConformance : IntegrationConformanceTests<HttpXml>;

public sealed class HttpSoapConformance : IntegrationConformanceTests<HttpSoap>;
