using FluxFunctions.Errors;

namespace FluxFunctions.Testing.Api;

/// <summary>
/// The shared table of HTTP API cases: bad input, SSRF, unknown ids, limits. Both hosts must give exactly these answers.
/// Hosts under test run with the defaults except <see cref="MaxRequestBytes"/> and <see cref="MaxInputBytes"/>, and with
/// <c>Flux__AllowPrivateNetworkUrls=false</c>.
/// </summary>
public static class ApiCases
{
    /// <summary>The body cap the hosts under test are configured with (<c>Flux__MaxRequestBytes</c>).</summary>
    public const long MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>The input file cap the hosts under test are configured with (<c>Flux__MaxInputBytes</c>).</summary>
    public const long MaxInputBytes = 1024 * 1024;

    /// <summary>A well-formed id no job has.</summary>
    public const string UnknownId = "a0123456789abcdef0123456789abcde";

    private static readonly Lazy<string> Photo = new(() => ApiImages.DataUri(ApiImages.Png(320, 240)));
    private static readonly Lazy<string> MaskUri = new(() => ApiImages.DataUri(ApiImages.Mask(320, 240)));

    public static IReadOnlyList<ApiCase> All { get; } =
    [
        Edit("unknown tool", $$"""{"tool":"sharpen","prompt":"a red barn at dusk","image":"{{Photo.Value}}"}""", ("tool", ErrorCodes.UnknownTool)),
        Edit("forbidden parameter strength on fill", $$"""{"tool":"fill","prompt":"a red barn at dusk","image":"{{Photo.Value}}","mask":"{{MaskUri.Value}}","strength":0.5}""", ("strength", ErrorCodes.ForbiddenParameter)),
        Edit("forbidden controlNet on canny", $$$"""{"tool":"canny","prompt":"a red barn at dusk","image":"{{{Photo.Value}}}","controlNet":{"weight":1}}""", ("controlNet", ErrorCodes.ForbiddenParameter)),
        Edit("metadata address URL", """{"tool":"redux","image":"https://169.254.169.254/latest/meta-data/iam"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("loopback URL", """{"tool":"redux","image":"https://127.0.0.1/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("10/8 URL", """{"tool":"redux","image":"https://10.1.2.3/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("IPv6 loopback URL", """{"tool":"redux","image":"https://[::1]/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("IPv4-mapped IPv6 loopback URL", """{"tool":"redux","image":"https://[::ffff:127.0.0.1]/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("decimal IPv4 loopback URL", """{"tool":"redux","image":"https://2130706433/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("DNS name resolving to loopback", """{"tool":"redux","image":"https://localhost/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("plain http URL", """{"tool":"redux","image":"http://example.com/photo.png"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("file URL", """{"tool":"redux","image":"file:///etc/passwd"}""", ("image", ErrorCodes.UnsafeUrl)),
        Edit("callback to a private address", $$"""{"tool":"redux","image":"{{Photo.Value}}","callbackUrl":"https://192.168.1.10/hook"}""", ("callbackUrl", ErrorCodes.UnsafeUrl)),
        Edit("plain http callback", $$"""{"tool":"redux","image":"{{Photo.Value}}","callbackUrl":"http://hooks.example.com/flux"}""", ("callbackUrl", ErrorCodes.UnsafeUrl)),
        Edit("callback without a webhook secret on the deployment", $$"""{"tool":"redux","image":"{{Photo.Value}}","callbackUrl":"https://hooks.example.com/flux"}""", ("callbackUrl", ErrorCodes.InvalidValue)),
        Edit("callback events without a callback URL", $$"""{"tool":"redux","image":"{{Photo.Value}}","callbackEvents":["started","completed"]}""", ("callbackEvents", ErrorCodes.MissingField)),
        Edit("callback events not an array", $$"""{"tool":"redux","image":"{{Photo.Value}}","callbackEvents":"started"}""", ("callbackEvents", ErrorCodes.InvalidType)),
        Edit("callback events unknown and repeated", $$"""{"tool":"redux","image":"{{Photo.Value}}","callbackUrl":"https://hooks.example.com/flux","callbackEvents":["started","done","started"]}""", ("callbackEvents[1]", ErrorCodes.InvalidValue), ("callbackEvents[2]", ErrorCodes.InvalidValue), ("callbackUrl", ErrorCodes.InvalidValue)),
        Edit("broken base64", """{"tool":"redux","image":"%%%not*base64%%%"}""", ("image", ErrorCodes.InvalidImageSource)),
        Edit("data URI that is not base64", """{"tool":"redux","image":"data:image/png,hello"}""", ("image", ErrorCodes.InvalidImageSource)),
        Edit("not an image", $$"""{"tool":"redux","image":"{{ApiImages.DataUri("hello, world"u8.ToArray())}}"}""", ("image", ErrorCodes.NotAnImage)),
        Edit("zip renamed png", $$"""{"tool":"redux","image":"{{ApiImages.DataUri([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0])}}"}""", ("image", ErrorCodes.NotAnImage)),
        Edit("empty image", """{"tool":"redux","image":"data:image/png;base64,"}""", ("image", ErrorCodes.EmptyImage)),
        Edit("decompression bomb", $$"""{"tool":"redux","image":"{{ApiImages.DataUri(ApiImages.PngDeclaring(30_000, 30_000))}}"}""", ("image", ErrorCodes.ImageTooLarge)),
        Edit("image over the size limit", $$"""{"tool":"redux","image":"{{Convert.ToBase64String(new byte[MaxInputBytes + 1024])}}"}""", ("image", ErrorCodes.PayloadTooLarge)),
        Edit("blob name climbing out", """{"tool":"redux","image":"blob:flux-inputs/fill/../../secret.png"}""", ("image", ErrorCodes.InvalidBlobName)),
        Edit("blob in a container that is not readable", """{"tool":"redux","image":"blob:flux-outputs/fill/a/b/0.png"}""", ("image", ErrorCodes.InvalidImageSource)),
        Edit("blob that does not exist", """{"tool":"redux","image":"blob:flux-inputs/nowhere/missing.png"}""", ("image", ErrorCodes.BlobNotFound)),
        Edit("missing image", """{"tool":"redux"}""", ("image", ErrorCodes.MissingField)),
        Edit("fill without mask", $$"""{"tool":"fill","prompt":"a red barn at dusk","image":"{{Photo.Value}}"}""", ("mask", ErrorCodes.MissingField)),
        Edit("mask on canny", $$"""{"tool":"canny","prompt":"a red barn at dusk","image":"{{Photo.Value}}","mask":"{{MaskUri.Value}}"}""", ("mask", ErrorCodes.ForbiddenParameter)),
        Edit(
            "every problem at once",
            """{"tool":"canny","prompt":"","image":"https://10.0.0.1/x.png","width":1000,"steps":"many","weight":1,"colour":"red"}""",
            ("prompt", ErrorCodes.MissingField),
            ("width", ErrorCodes.NotMultipleOf64),
            ("steps", ErrorCodes.InvalidType),
            ("weight", ErrorCodes.ForbiddenParameter),
            ("colour", ErrorCodes.UnknownField),
            ("image", ErrorCodes.UnsafeUrl)),
        Edit("invalid JSON", "{\"tool\": \"fill\", ", (null, ErrorCodes.InvalidJson)),
        Edit("JSON too deeply nested", "{\"tool\":" + new string('[', 200) + new string(']', 200) + "}", (null, ErrorCodes.InvalidJson)),
        Edit("JSON array body", "[1,2,3]", (null, ErrorCodes.InvalidJson)),
        Edit("prompt over the limit", $$"""{"tool":"redux","prompt":"{{new string('a', 20_000)}}","image":"{{Photo.Value}}"}""", ("prompt", ErrorCodes.PromptTooLong)),
        new("multipart with an unknown part", "POST", "/api/edits", () => ApiCase.Multipart([("picture", ApiImages.Png(64, 64), "p.png")], [("options", """{"tool":"redux"}""")]), 400, [new("picture", ErrorCodes.UnknownField), new("image", ErrorCodes.MissingField)]),
        new("multipart image given twice", "POST", "/api/edits", () => ApiCase.Multipart([("image", ApiImages.Png(64, 64), "p.png")], [("options", $$"""{"tool":"redux","image":"{{Photo.Value}}"}""")]), 400, [new("image", ErrorCodes.InvalidValue)]),
        new("multipart options not JSON", "POST", "/api/edits", () => ApiCase.Multipart([("image", ApiImages.Png(64, 64), "p.png")], [("options", "tool=redux")]), 400, [new("options", ErrorCodes.InvalidJson)]),
        new("wait that is not a number", "POST", "/api/edits?wait=soon", () => ApiCase.Json("{}"), 400, [new("wait", ErrorCodes.InvalidValue)]),
        new("unsupported media type", "POST", "/api/edits", () => new StringContent("tool=fill", System.Text.Encoding.UTF8, "text/plain"), 415, []),
        new("body over the limit", "POST", "/api/edits", () => new ByteArrayContent(new byte[MaxRequestBytes + 1]) { Headers = { ContentType = new("application/json") } }, 413, []),
        new("status of an unknown id", "GET", $"/api/edits/{UnknownId}", () => null, 404, []),
        new("status of a malformed id", "GET", "/api/edits/not-a-job-id", () => null, 404, []),
        new("output of an unknown id", "GET", $"/api/edits/{UnknownId}/outputs/0", () => null, 404, []),
        new("cancel of an unknown id", "DELETE", $"/api/edits/{UnknownId}", () => null, 404, []),
        new("preprocess of an unknown kind", "POST", "/api/preprocess/blur", () => ApiCase.Json($$"""{"image":"{{Photo.Value}}"}"""), 404, []),
        new("preprocess depth with thresholds", "POST", "/api/preprocess/depth", () => ApiCase.Json($$"""{"image":"{{Photo.Value}}","lowThreshold":10,"mode":"local"}"""), 400, [new("lowThreshold", ErrorCodes.ForbiddenParameter), new("mode", ErrorCodes.InvalidValue)]),
        new("preprocess canny with a metadata URL", "POST", "/api/preprocess/canny", () => ApiCase.Json("""{"image":"https://169.254.169.254/latest"}"""), 400, [new("image", ErrorCodes.UnsafeUrl)]),
        new("preprocess canny with thresholds reversed", "POST", "/api/preprocess/canny", () => ApiCase.Json($$"""{"image":"{{Photo.Value}}","lowThreshold":200,"highThreshold":100}"""), 400, [new("lowThreshold", ErrorCodes.InvalidValue)]),
    ];

    /// <summary>The case names, for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static ApiCase Get(string name) => All.Single(c => c.Name == name);

    private static ApiCase Edit(string name, string json, params (string? Parameter, string Code)[] errors) =>
        new(name, "POST", "/api/edits", () => ApiCase.Json(json), 400, errors.Select(e => new ExpectedError(e.Parameter, e.Code)).ToList());
}
