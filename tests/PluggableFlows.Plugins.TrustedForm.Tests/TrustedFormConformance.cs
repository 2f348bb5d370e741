using PluggableFlows.Conformance;

namespace PluggableFlows.Plugins.TrustedForm.Tests;

public sealed class TrustedFormConformance : IntegrationConformanceTests<TrustedFormVerify>;
