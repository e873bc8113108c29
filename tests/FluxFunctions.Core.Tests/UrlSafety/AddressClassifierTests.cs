using System.Net;
using FluxFunctions.Core.UrlSafety;

namespace FluxFunctions.Core.Tests.UrlSafety;

public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.255.255.254", AddressKind.Loopback)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("100.64.0.1", AddressKind.CarrierGradeNat)]
    [InlineData("100.127.255.255", AddressKind.CarrierGradeNat)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("255.255.255.255", AddressKind.Broadcast)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("192.0.2.10", AddressKind.Documentation)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("::ffff:169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("::ffff:10.1.1.1", AddressKind.Private)]
    [InlineData("::127.0.0.1", AddressKind.Reserved)]
    [InlineData("64:ff9b::a00:1", AddressKind.Private)]
    [InlineData("2002:7f00:1::", AddressKind.Loopback)]
    [InlineData("2001:0:4136:e378::1", AddressKind.Reserved)]
    [InlineData("fc00::1", AddressKind.UniqueLocal)]
    [InlineData("fd12:3456::1", AddressKind.UniqueLocal)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("fec0::1", AddressKind.Private)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("2001:db8::1", AddressKind.Documentation)]
    [InlineData("100::1", AddressKind.Reserved)]
    public void Classify_NonPublicAddress_IsNamed(string address, AddressKind expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("169.253.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Classify_PublicAddress_IsPublic(string address)
    {
        Assert.Equal(AddressKind.Public, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(false, "127.0.0.1", false)]
    [InlineData(false, "8.8.8.8", true)]
    [InlineData(true, "127.0.0.1", true)]
    [InlineData(true, "10.0.0.1", true)]
    [InlineData(true, "169.254.169.254", false)]
    [InlineData(true, "fe80::1", false)]
    [InlineData(true, "0.0.0.0", false)]
    [InlineData(true, "224.0.0.1", false)]
    public void NetworkUrlPolicy_PrivateSetting_DecidesPrivateAddressesOnly(bool allowPrivate, string address, bool allowed)
    {
        Assert.Equal(allowed, new NetworkUrlPolicy(allowPrivate).AllowsAddress(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(false, "https", true)]
    [InlineData(false, "http", false)]
    [InlineData(true, "http", true)]
    [InlineData(true, "ftp", false)]
    [InlineData(true, "file", false)]
    public void NetworkUrlPolicy_Scheme_HttpOnlyWithPrivateSetting(bool allowPrivate, string scheme, bool allowed)
    {
        Assert.Equal(allowed, new NetworkUrlPolicy(allowPrivate).AllowsScheme(scheme));
    }
}
