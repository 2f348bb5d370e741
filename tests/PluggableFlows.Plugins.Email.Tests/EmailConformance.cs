using PluggableFlows.Conformance;

namespace PluggableFlows.Plugins.Email.Tests;

// The default EmailVerify never looks up a mail server unless a step asks (check_mx), and no sample asks: no network.
public sealed class EmailConformance : IntegrationConformanceTests<EmailVerify>;
