using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api.Preprocessing;

/// <summary>
/// <c>POST /api/preprocess/{canny|depth}</c>: returns synchronously the guide image an edit would send to Runware, made
/// by the same preparation (centre-cropped to a Runware size at about one megapixel). Canny runs locally by default
/// (OpenCV-exact, no Runware call, no cost) or on Runware with <c>mode: runware</c>; depth always runs Runware's
/// <c>controlNetPreprocess</c> on the prepared image.
/// </summary>
public sealed class PreprocessApi(ApiGuard guard, ImageInputLoader loader, ImageWork images, IRunwareClient runware, IOptions<FluxOptions> options)
{
    public Task<IResult> RunAsync(HttpRequest request, string kind, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            if (kind is not ("canny" or "depth"))
            {
                return ApiProblems.NotFound("There is no such preprocessor: use /api/preprocess/canny or /api/preprocess/depth.");
            }

            var o = options.Value;
            var asked = await PreprocessRequestReader.ReadAsync(request, kind == "depth", loader, o.MaxRequestBytes, o.MaxInputBytes, cancellationToken).ConfigureAwait(false);
            var image = await loader.LoadAsync(asked.Image, cancellationToken).ConfigureAwait(false);
            var spec = new EditSpec
            {
                Tool = asked.Depth ? FluxTool.Depth : FluxTool.Canny,
                Preprocess = new PreprocessSpec(asked.Mode, asked.LowThreshold, asked.HighThreshold),
            };
            var prepared = images.Prepare(image.Bytes, null, spec);
            if (asked.Mode == PreprocessMode.Local)
            {
                return Results.File(prepared.Image.Bytes.ToArray(), prepared.Image.ContentType);
            }

            var dataUri = ImageTransfer.DataUri(prepared.Image.ContentType, prepared.Image.Bytes.Span);
            var task = RunwareTaskBuilder.BuildPreprocess(
                Guid.NewGuid(),
                dataUri,
                asked.Depth ? PreprocessorType.Depth : PreprocessorType.Canny,
                prepared.TargetSize.Width,
                prepared.TargetSize.Height,
                asked.Depth ? null : asked.LowThreshold,
                asked.Depth ? null : asked.HighThreshold);
            PreprocessResult result;
            try
            {
                result = await runware.PreprocessAsync(task, cancellationToken).ConfigureAwait(false);
            }
            catch (RunwareRejectedException ex) when (ex.StatusCode is 401 or 403)
            {
                return ApiProblems.Unavailable("Runware refused this deployment's API key; the operators must fix Runware__ApiKey.");
            }

            if (result.GuideImageURL is null || !Uri.TryCreate(result.GuideImageURL, UriKind.Absolute, out var url))
            {
                return ApiProblems.Create(StatusCodes.Status502BadGateway, "Runware returned no guide image.", null, [new FluxError(ErrorCodes.RunwareProtocol, "Runware answered controlNetPreprocess without a guide image URL.")]);
            }

            var bytes = await runware.DownloadAsync(url, JobFinisher.MaxResultBytes, cancellationToken).ConfigureAwait(false);
            return Results.File(bytes, ContentTypeOf(bytes));
        });

    private static string ContentTypeOf(byte[] bytes)
    {
        try
        {
            return ImageProbe.Probe(bytes, ImageLimits.Default with { MaxBytes = long.MaxValue, MaxPixels = long.MaxValue, MinSide = 1 }, "guide").ContentType;
        }
        catch (PermanentFluxException)
        {
            return "application/octet-stream";
        }
    }
}
