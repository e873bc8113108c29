using System.Net;

namespace FluxFunctions.Core.UrlSafety;

/// <summary>Which outgoing URLs may be contacted: by scheme, and by every address their host resolves to.</summary>
public interface IUrlPolicy
{
    /// <summary>Whether URLs with this scheme (lower-case, e.g. <c>https</c>) may be fetched.</summary>
    bool AllowsScheme(string scheme);

    /// <summary>Whether a connection to this address is allowed.</summary>
    bool AllowsAddress(IPAddress address);
}

/// <summary>
/// The production policy (SPEC §5): https only and public addresses only. With
/// <c>Flux__AllowPrivateNetworkUrls=true</c> (local development and tests) http is allowed too, and so are loopback,
/// private, carrier-grade NAT and unique-local addresses; link-local (which holds the cloud metadata service
/// 169.254.169.254), the unspecified, multicast, broadcast, reserved and documentation ranges stay refused either way:
/// a development setting left on in a cloud deployment must not open the instance's credentials.
/// </summary>
public sealed class NetworkUrlPolicy(bool allowPrivateNetwork) : IUrlPolicy
{
    public bool AllowPrivateNetwork { get; } = allowPrivateNetwork;

    public bool AllowsScheme(string scheme) =>
        scheme == Uri.UriSchemeHttps || (AllowPrivateNetwork && scheme == Uri.UriSchemeHttp);

    public bool AllowsAddress(IPAddress address) => AddressClassifier.Classify(address) switch
    {
        AddressKind.Public => true,
        AddressKind.Loopback or AddressKind.Private or AddressKind.CarrierGradeNat or AddressKind.UniqueLocal => AllowPrivateNetwork,
        _ => false,
    };
}
