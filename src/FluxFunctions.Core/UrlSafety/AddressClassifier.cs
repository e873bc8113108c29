using System.Net;
using System.Net.Sockets;

namespace FluxFunctions.Core.UrlSafety;

/// <summary>What kind of network an IP address belongs to, as far as outgoing requests are concerned.</summary>
public enum AddressKind
{
    /// <summary>A globally routable unicast address.</summary>
    Public,

    /// <summary><c>0.0.0.0/8</c>, <c>::</c>: "this host" (on Linux, connecting to it reaches loopback).</summary>
    Unspecified,

    /// <summary><c>127.0.0.0/8</c>, <c>::1</c>.</summary>
    Loopback,

    /// <summary><c>10/8</c>, <c>172.16/12</c>, <c>192.168/16</c>, IPv6 site-local <c>fec0::/10</c>, local-use NAT64.</summary>
    Private,

    /// <summary><c>169.254/16</c> (includes the cloud metadata service 169.254.169.254), <c>fe80::/10</c>.</summary>
    LinkLocal,

    /// <summary><c>100.64/10</c>: carrier-grade NAT, often the provider's internal network.</summary>
    CarrierGradeNat,

    /// <summary><c>fc00::/7</c>: IPv6 unique-local addresses.</summary>
    UniqueLocal,

    /// <summary><c>224/4</c>, <c>ff00::/8</c>.</summary>
    Multicast,

    /// <summary><c>255.255.255.255</c>.</summary>
    Broadcast,

    /// <summary>Documentation ranges (TEST-NET, <c>2001:db8::/32</c>).</summary>
    Documentation,

    /// <summary>Reserved or special-purpose ranges (<c>240/4</c>, benchmarking, Teredo, IPv4-compatible IPv6, …).</summary>
    Reserved,
}

/// <summary>
/// Classifies IP addresses for the SSRF guard. IPv4 addresses embedded in IPv6 (IPv4-mapped <c>::ffff:a.b.c.d</c>,
/// NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>) are classified by the IPv4 address they reach; IPv6 outside the
/// global unicast range <c>2000::/3</c> is never public.
/// </summary>
public static class AddressClassifier
{
    /// <summary>The kind of <paramref name="address"/>.</summary>
    public static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            address.TryWriteBytes(v4, out _);
            return ClassifyV4(v4);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressKind.Reserved;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);

        // ::/96 — the unspecified address, loopback, and the deprecated IPv4-compatible form.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            var last = b.Slice(12, 4);
            if (last.IndexOfAnyExcept((byte)0) < 0)
            {
                return AddressKind.Unspecified;
            }

            return last[0] == 0 && last[1] == 0 && last[2] == 0 && last[3] == 1 ? AddressKind.Loopback : AddressKind.Reserved;
        }

        // 64:ff9b::/96 well-known NAT64 prefix: reaches the embedded IPv4 address.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Slice(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return ClassifyV4(b.Slice(12, 4));
        }

        // 64:ff9b:1::/48 local-use NAT64.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01)
        {
            return AddressKind.Private;
        }

        // 2002::/16 6to4: reaches the embedded IPv4 address.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(b.Slice(2, 4));
        }

        // 2001:0::/32 Teredo (embeds an obfuscated IPv4 client address): refused.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return AddressKind.Reserved;
        }

        // 2001:db8::/32 documentation.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return AddressKind.Documentation;
        }

        if (b[0] == 0xff)
        {
            return AddressKind.Multicast;
        }

        if ((b[0] & 0xfe) == 0xfc)
        {
            return AddressKind.UniqueLocal;
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        {
            return AddressKind.LinkLocal;
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        {
            return AddressKind.Private;
        }

        // Only 2000::/3 is allocated global unicast; everything else is reserved.
        return (b[0] & 0xe0) == 0x20 ? AddressKind.Public : AddressKind.Reserved;
    }

    /// <summary>A short description of a kind for error messages.</summary>
    public static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Public => "a public address",
        AddressKind.Unspecified => "the unspecified address (this host)",
        AddressKind.Loopback => "a loopback address",
        AddressKind.Private => "a private network address",
        AddressKind.LinkLocal => "a link-local address (this range holds the cloud metadata service 169.254.169.254)",
        AddressKind.CarrierGradeNat => "a carrier-grade NAT address (100.64.0.0/10)",
        AddressKind.UniqueLocal => "an IPv6 unique-local address (fc00::/7)",
        AddressKind.Multicast => "a multicast address",
        AddressKind.Broadcast => "the broadcast address",
        AddressKind.Documentation => "a documentation-only address",
        _ => "a reserved address",
    };

    private static AddressKind ClassifyV4(ReadOnlySpan<byte> a)
    {
        return (a[0], a[1], a[2], a[3]) switch
        {
            (0, _, _, _) => AddressKind.Unspecified,
            (10, _, _, _) => AddressKind.Private,
            (100, >= 64 and <= 127, _, _) => AddressKind.CarrierGradeNat,
            (127, _, _, _) => AddressKind.Loopback,
            (169, 254, _, _) => AddressKind.LinkLocal,
            (172, >= 16 and <= 31, _, _) => AddressKind.Private,
            (192, 0, 0, _) => AddressKind.Reserved,
            (192, 0, 2, _) => AddressKind.Documentation,
            (192, 88, 99, _) => AddressKind.Reserved,
            (192, 168, _, _) => AddressKind.Private,
            (198, 18 or 19, _, _) => AddressKind.Reserved,
            (198, 51, 100, _) => AddressKind.Documentation,
            (203, 0, 113, _) => AddressKind.Documentation,
            (255, 255, 255, 255) => AddressKind.Broadcast,
            ( >= 224 and <= 239, _, _, _) => AddressKind.Multicast,
            ( >= 240, _, _, _) => AddressKind.Reserved,
            _ => AddressKind.Public,
        };
    }
}
