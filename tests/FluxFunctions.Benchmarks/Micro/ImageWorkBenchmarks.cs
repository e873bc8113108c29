using BenchmarkDotNet.Attributes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Benchmarks.Micro;

/// <summary>
/// The image work of a job: preparing (decode, size, normalise, guide or mask shaping, encode) and finishing a
/// Fill result (scale back, colour match, composite over the original: the stitch).
/// </summary>
[MemoryDiagnoser]
public class ImageWorkBenchmarks
{
    private byte[] photo = [];
    private byte[] mask = [];
    private byte[] generated = [];
    private PreparedImages fillPrepared = null!;

    [Params(1024, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using (var bitmap = TestImages.PhotoLike(Size, Size, seed: 3))
        {
            photo = TestFiles.Jpeg(bitmap);
        }

        using (var m = TestImages.Create(Size, Size))
        {
            using var canvas = new SKCanvas(m);
            canvas.Clear(SKColors.Black);
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawCircle(Size / 2f, Size / 2f, Size / 5f, paint);
            mask = TestFiles.Png(m);
        }

        fillPrepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(FillSpec), photo) { Mask = mask });
        var sent = fillPrepared.Crops.Count > 0 ? fillPrepared.Crops[0].Seed : fillPrepared.Image;
        using var g = TestImages.PhotoLike(sent.Width, sent.Height, seed: 4);
        generated = TestFiles.Jpeg(g);
    }

    private static EditSpec FillSpec => new() { Tool = FluxTool.Fill, Prompt = "a red bicycle", Context = new ContextSpec(ContextMode.Off, null) };

    [Benchmark]
    public PreparedImages PrepareFill() => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(FillSpec), photo) { Mask = mask });

    [Benchmark]
    public PreparedImages PrepareCannyLocal() =>
        ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(new EditSpec { Tool = FluxTool.Canny, Prompt = "a house", Width = Size, Height = Size }), photo));

    [Benchmark]
    public PreparedImages PrepareRedux() => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(new EditSpec { Tool = FluxTool.Redux, Width = Size, Height = Size }), photo));

    [Benchmark]
    public FinishedImage StitchFill() =>
        ResultFinisher.Finish(new FinishRequest(ImageEdits.From(FillSpec), generated) { Original = photo, Mask = mask, Placement = fillPrepared.Placement });
}
