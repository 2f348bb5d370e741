using System.Net;
using System.Net.Sockets;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// Refuses connections from deliveries (and BYOC integrations) to addresses inside the host's own networks: loopback,
/// private, link-local, unspecified, multicast and reserved ranges. A flow owner writes the URL a delivery posts to; without
/// this, a flow could read the host's own admin APIs or a cloud metadata service (169.254.169.254) and see the answer in
/// the step's transcript.
/// </summary>
/// <remarks>
/// The check runs in <see cref="SocketsHttpHandler.ConnectCallback"/>, on the address actually connected to, after DNS:
/// a public name that resolves to a private address is refused too, and so is every redirect hop.
/// </remarks>
internal sealed class DeliveryAddressGuard
{
    private static readonly (IPNetwork Network, string Kind, string Option)[] Refused =
    [
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address", nameof(PipelineOptions.AllowLoopbackDeliveries)),
        (IPNetwork.Parse("::1/128"), "a loopback address", nameof(PipelineOptions.AllowLoopbackDeliveries)),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address", nameof(PipelineOptions.AllowPrivateDeliveries)),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address", nameof(PipelineOptions.AllowPrivateDeliveries)),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address", nameof(PipelineOptions.AllowPrivateDeliveries)),
        (IPNetwork.Parse("100.64.0.0/10"), "a private (carrier-grade NAT) address", nameof(PipelineOptions.AllowPrivateDeliveries)),
        (IPNetwork.Parse("fc00::/7"), "a private (unique local) address", nameof(PipelineOptions.AllowPrivateDeliveries)),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("fe80::/10"), "a link-local address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("::/128"), "an unspecified address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("ff00::/8"), "a multicast address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved (benchmarking) address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
        (IPNetwork.Parse("64:ff9b::/96"), "a NAT64 address", nameof(PipelineOptions.AllowedDeliveryNetworks)),
    ];

    private readonly bool _loopback;
    private readonly bool _private;
    private readonly IPNetwork[] _allowed;

    public DeliveryAddressGuard(PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _loopback = options.AllowLoopbackDeliveries;
        _private = options.AllowPrivateDeliveries;
        _allowed = [.. options.AllowedDeliveryNetworks.Select(ParseNetwork)];
    }

    /// <summary>Why <paramref name="address"/> is refused, or null when a delivery may connect to it.</summary>
    public string? Refusal(IPAddress address, string host)
    {
        var checkedAddress = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowed.Any(network => network.Contains(checkedAddress)))
        {
            return null;
        }

        foreach (var (network, kind, option) in Refused)
        {
            if (!network.Contains(checkedAddress))
            {
                continue;
            }

            if ((option == nameof(PipelineOptions.AllowLoopbackDeliveries) && _loopback)
                || (option == nameof(PipelineOptions.AllowPrivateDeliveries) && _private))
            {
                return null;
            }

            var named = IPAddress.TryParse(host.Trim('[', ']'), out _) ? "" : $" ('{host}' resolves to it)";
            var change = option == nameof(PipelineOptions.AllowedDeliveryNetworks)
                ? $"add it to {PipelineOptions.SectionName}:{option}"
                : $"set {PipelineOptions.SectionName}:{option} to true, or add it to {PipelineOptions.SectionName}:{nameof(PipelineOptions.AllowedDeliveryNetworks)}";
            return $"Refused to connect to {checkedAddress}{named}: it is {kind}, which deliveries may not reach. "
                + $"If this host should deliver there, {change}.";
        }

        return null;
    }

    /// <summary>Resolves the host, refuses guarded addresses, and connects to the first allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refusal = null;
        Exception? failure = null;
        foreach (var address in addresses)
        {
            if (Refusal(address, host) is { } reason)
            {
                refusal ??= reason;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (failure is not null)
        {
            throw failure;
        }

        throw new DeliveryAddressRefusedException(refusal ?? $"'{host}' resolved to no address.");
    }

    private static IPNetwork ParseNetwork(string text)
    {
        var trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(trimmed, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException(
            $"{PipelineOptions.SectionName}:{nameof(PipelineOptions.AllowedDeliveryNetworks)} holds '{text}', which is neither a network in CIDR notation (10.20.0.0/16) nor an address.");
    }
}

/// <summary>A delivery tried to connect to an address the host refuses (<see cref="DeliveryAddressGuard"/>).</summary>
internal sealed class DeliveryAddressRefusedException(string message) : Exception(message);
