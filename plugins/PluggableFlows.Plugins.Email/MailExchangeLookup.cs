using DnsClient;
using DnsClient.Protocol;

namespace PluggableFlows.Plugins.Email;

/// <summary>Whether a domain publishes a mail server (an MX record).</summary>
internal interface IMailExchangeLookup
{
    /// <summary>True when the domain has an MX record, false when it has none or does not exist.</summary>
    /// <exception cref="DnsResponseException">The lookup itself failed (timeout, server failure).</exception>
    Task<bool> HasMailExchangeAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>MX lookups through the system's DNS servers, with a short timeout: a lead must not wait on slow DNS.</summary>
internal sealed class DnsMailExchangeLookup : IMailExchangeLookup
{
    public static readonly DnsMailExchangeLookup Instance = new();

    private readonly LookupClient _client = new(new LookupClientOptions
    {
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 1,
        UseCache = true,
        ThrowDnsErrors = false,
    });

    public async Task<bool> HasMailExchangeAsync(string domain, CancellationToken cancellationToken)
    {
        var response = await _client.QueryAsync(domain, QueryType.MX, QueryClass.IN, cancellationToken);
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new DnsResponseException((DnsResponseCode)response.Header.ResponseCode);
        }

        return response.Answers.OfType<MxRecord>().Any(mx => mx.Exchange.Value is not ("." or ""));
    }
}
