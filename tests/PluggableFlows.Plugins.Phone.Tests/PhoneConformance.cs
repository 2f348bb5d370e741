using PluggableFlows.Conformance;

namespace PluggableFlows.Plugins.Phone.Tests;

public sealed class PhoneConformance : IntegrationConformanceTests<PhoneVerify>;
