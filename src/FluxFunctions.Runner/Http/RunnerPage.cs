using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// The web page at <c>/</c> (wwwroot: plain HTML, CSS and ES modules, embedded in the runner's assembly so it is served
/// the same from a build, a publish folder, a container or a test). The files are public — the page asks for the key and
/// sends it to <c>/api</c>, which stays behind <see cref="ApiKeyFilter"/>. Every file is sent with a strict
/// Content-Security-Policy: nothing from other origins, no inline script or style, no framing.
/// </summary>
public static class RunnerPage
{
    /// <summary>
    /// Same-origin scripts, styles and API calls only; images from the page and from <c>blob:</c> URLs (the chosen file and
    /// the downloaded results); no plugins, no forms posting elsewhere, no framing, no base-URL tricks.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
        "manifest-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>The namespace prefix of the embedded wwwroot files.</summary>
    private const string ResourceRoot = "FluxFunctions.Runner.wwwroot";

    /// <summary>The page's files, embedded in this assembly.</summary>
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(RunnerPage).Assembly, ResourceRoot);

    /// <summary>Serves <c>/</c> → index.html and the other wwwroot files, without a key, with the security headers.</summary>
    public static WebApplication UseRunnerPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files, DefaultFileNames = ["index.html"] });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            ContentTypeProvider = ContentTypes(),
            OnPrepareResponse = context => AddHeaders(context.Context.Response.Headers),
        });
        return app;
    }

    /// <summary>The usual mappings, with the charset of the text files (they are UTF-8).</summary>
    private static FileExtensionContentTypeProvider ContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".html"] = "text/html; charset=utf-8";
        provider.Mappings[".js"] = "text/javascript; charset=utf-8";
        provider.Mappings[".css"] = "text/css; charset=utf-8";
        provider.Mappings[".svg"] = "image/svg+xml; charset=utf-8";
        return provider;
    }

    private static void AddHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

        // Revalidate every time (ETag): a new runner version's page is picked up at once.
        headers.CacheControl = "no-cache";
    }
}
