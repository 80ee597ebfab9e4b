using SkiaSharp;

namespace MailSink.Api.Compat;

/// <summary>
/// Mailpit's attachment thumbnail (server/apiv1/thumbnails.go): a 180x120 JPEG (quality 70) on white, the image
/// scaled to cover and centre-cropped, or when smaller than the box, shrunk only as needed and centred; anything
/// that is not an image, cannot be decoded, or claims more than <see cref="MaxPixels"/> pixels (a decompression
/// bomb) gets the blank white thumbnail, as in Mailpit. SkiaSharp (MIT) decodes and encodes.
/// </summary>
internal static class ThumbnailRenderer
{
    public const int Width = 180;
    public const int Height = 120;
    public const long MaxPixels = 20_000_000;
    private const int Quality = 70;

    public static byte[] Render(string contentType, byte[] content)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        if (contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            Draw(canvas, content);
        }

        using var image = surface.Snapshot();
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, Quality);
        return jpeg.ToArray();
    }

    private static void Draw(SKCanvas canvas, byte[] content)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0 || (long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return;
        }

        using var bitmap = SKBitmap.Decode(codec);
        if (bitmap is null)
        {
            return;
        }

        float w = bitmap.Width, h = bitmap.Height;

        // Mailpit: imaging.Fill (cover, crop the centre) for large images, imaging.Fit (never enlarge) for small ones.
        var scale = w < Width || h < Height
            ? Math.Min(1f, Math.Min(Width / w, Height / h))
            : Math.Max(Width / w, Height / h);
        var dest = SKRect.Create((Width - (w * scale)) / 2, (Height - (h * scale)) / 2, w * scale, h * scale);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, dest, new SKSamplingOptions(SKCubicResampler.Mitchell));
    }
}
