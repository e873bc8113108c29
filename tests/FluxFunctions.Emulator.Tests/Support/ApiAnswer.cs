using System.Net;
using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Tests.Support;

/// <summary>An answer of <c>POST /v1</c>, parsed.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)
{
    public JsonArray Data => Body["data"] as JsonArray ?? [];

    public JsonArray Errors => Body["errors"] as JsonArray ?? [];

    /// <summary>The only error, asserting there is exactly one.</summary>
    public JsonObject SingleError() => Assert.IsType<JsonObject>(Assert.Single(Errors));

    /// <summary>The only data entry, asserting there is exactly one.</summary>
    public JsonObject SingleData() => Assert.IsType<JsonObject>(Assert.Single(Data));

    /// <summary>Asserts the request was rejected (HTTP 400) with an error of this code naming this parameter.</summary>
    public JsonObject AssertRejected(string code, string? parameter)
    {
        Assert.True(Status == HttpStatusCode.BadRequest, $"expected 400, got {(int)Status}: {Body.ToJsonString()}");
        var error = Errors.OfType<JsonObject>().FirstOrDefault(e => (string?)e["code"] == code && (string?)e["parameter"] == parameter);
        Assert.True(error is not null, $"expected error {code} on '{parameter}', got {Errors.ToJsonString()}");
        Assert.False(string.IsNullOrWhiteSpace((string?)error!["message"]));
        return error;
    }

    /// <summary>Asserts HTTP 200 without errors.</summary>
    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body.ToJsonString()}");
        Assert.Empty(Errors);
    }
}
