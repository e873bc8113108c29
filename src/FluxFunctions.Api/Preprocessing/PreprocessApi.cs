using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Tools;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api.Preprocessing;

/// <summary>
/// <c>POST /api/preprocess/{canny|depth}</c>: returns the guide image synchronously, at the size an edit would send to
/// Runware (the input's aspect ratio at about one megapixel). Canny runs locally by default (no Runware call, no cost) or
/// on Runware with <c>mode: runware</c>; depth always runs Runware's <c>controlNetPreprocess</c>.
/// </summary>
public sealed class PreprocessApi(ApiGuard guard, ImageInputLoader loader, ILocalEdgeDetector edges, IRunwareClient runware, IOptions<FluxOptions> options)
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
            var (width, height) = SizePlanner.Plan(image.Width, image.Height, null, null);
            if (asked.Mode == PreprocessMode.Local)
            {
                var png = edges.DetectEdges(image.Bytes, width, height, asked.LowThreshold, asked.HighThreshold);
                return Results.File(png, "image/png");
            }

            var dataUri = $"data:{image.ContentType};base64,{Convert.ToBase64String(image.Bytes)}";
            var task = RunwareTaskBuilder.BuildPreprocess(
                Guid.NewGuid(),
                dataUri,
                asked.Depth ? PreprocessorType.Depth : PreprocessorType.Canny,
                width,
                height,
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

            var bytes = await runware.DownloadAsync(url, StoreOutputs.MaxResultBytes, cancellationToken).ConfigureAwait(false);
            return Results.File(bytes, ImageSniffer.ContentType(ImageSniffer.Sniff(bytes) ?? "png"));
        });
}
