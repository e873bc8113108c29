using System.Net.Http.Headers;
using System.Text;

namespace FluxFunctions.Testing.Api;

/// <summary>An error an answer must name: the field (null for the body as a whole) and the code.</summary>
public sealed record ExpectedError(string? Parameter, string Code);

/// <summary>
/// One request to the HTTP API and the answer both hosts must give. The runner tests send it over real HTTP (with a
/// valid key); the Functions tests hand it to the trigger method directly.
/// </summary>
/// <param name="Name">Shown in test names.</param>
/// <param name="Method">GET, POST or DELETE.</param>
/// <param name="Path">Path and query under the host, e.g. <c>/api/edits?wait=2</c>.</param>
/// <param name="Body">Builds the body (null for none).</param>
/// <param name="Status">The expected status code.</param>
/// <param name="Errors">For 400s, exactly the errors the problem must list (as a set).</param>
public sealed record ApiCase(string Name, string Method, string Path, Func<HttpContent?> Body, int Status, IReadOnlyList<ExpectedError> Errors)
{
    public override string ToString() => Name;

    /// <summary>A JSON body.</summary>
    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    /// <summary>A multipart body: named files and text fields.</summary>
    public static HttpContent Multipart(IEnumerable<(string Name, byte[] Bytes, string FileName)> files, IEnumerable<(string Name, string Value)> fields)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(fields);
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes, fileName) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "application/octet-stream");
            form.Add(part, name, fileName);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value, Encoding.UTF8), name);
        }

        return form;
    }
}

/// <summary>What a host answered, reduced to what the cases check.</summary>
public sealed record ApiAnswer(int Status, string? ContentType, string? Location, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
