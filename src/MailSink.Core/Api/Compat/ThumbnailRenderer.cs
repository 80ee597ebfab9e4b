using StbImageSharp;

namespace MailSink.Api.Compat;

/// <summary>
/// Mailpit's attachment thumbnail (server/apiv1/thumbnails.go): a 180x120 JPEG (quality 70) on white, the image
/// scaled to cover and centre-cropped, or when smaller than the box, shrunk only as needed and centred; anything
/// that is not an image, cannot be decoded, or claims more than <see cref="MaxPixels"/> pixels (a decompression
/// bomb) gets the blank white thumbnail, as in Mailpit. Managed code only: StbImageSharp decodes (PNG, JPEG, GIF,
/// BMP, TGA, PSD), a box filter scales, <see cref="BaselineJpegEncoder"/> encodes.
/// </summary>
internal static class ThumbnailRenderer
{
    public const int Width = 180;
    public const int Height = 120;
    public const long MaxPixels = 20_000_000;
    private const int Quality = 70;

    public static byte[] Render(string contentType, byte[] content)
    {
        var canvas = new byte[Width * Height * 3];
        Array.Fill(canvas, (byte)255);
        if (contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && TryDecode(content) is { } image)
        {
            Draw(canvas, image);
        }

        return BaselineJpegEncoder.Encode(canvas, Width, Height, Quality);
    }

    private static ImageResult? TryDecode(byte[] content)
    {
        try
        {
            // The header first: dimensions are checked before a pixel buffer is allocated for them.
            using (var header = new MemoryStream(content, writable: false))
            {
                if (ImageInfo.FromStream(header) is not { } info || info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels)
                {
                    return null;
                }
            }

            return ImageResult.FromMemory(content, ColorComponents.RedGreenBlueAlpha);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException or NotSupportedException)
        {
            // stb_image reports a bad image as an exception; Mailpit answers the blank thumbnail too.
            return null;
        }
    }

    private static void Draw(byte[] canvas, ImageResult image)
    {
        double w = image.Width, h = image.Height;

        // Mailpit: imaging.Fill (cover, crop the centre) for large images, imaging.Fit (never enlarge) for small ones.
        var scale = w < Width || h < Height
            ? Math.Min(1, Math.Min(Width / w, Height / h))
            : Math.Max(Width / w, Height / h);
        double left = (Width - (w * scale)) / 2, top = (Height - (h * scale)) / 2;

        for (var y = 0; y < Height; y++)
        {
            var sy0 = (y - top) / scale;
            var sy1 = (y + 1 - top) / scale;
            if (sy1 <= 0 || sy0 >= h)
            {
                continue;
            }

            for (var x = 0; x < Width; x++)
            {
                var sx0 = (x - left) / scale;
                var sx1 = (x + 1 - left) / scale;
                if (sx1 <= 0 || sx0 >= w)
                {
                    continue;
                }

                BlendAverage(canvas, (y * Width) + x, image, sx0, sx1, sy0, sy1);
            }
        }
    }

    /// <summary>Box filter: the mean of the source pixels under this thumbnail pixel, composited over white.</summary>
    private static void BlendAverage(byte[] canvas, int pixel, ImageResult image, double sx0, double sx1, double sy0, double sy1)
    {
        int x0 = Math.Max(0, (int)Math.Floor(sx0)), x1 = Math.Min(image.Width, Math.Max(x0 + 1, (int)Math.Ceiling(sx1)));
        int y0 = Math.Max(0, (int)Math.Floor(sy0)), y1 = Math.Min(image.Height, Math.Max(y0 + 1, (int)Math.Ceiling(sy1)));
        double r = 0, g = 0, b = 0, n = 0;
        for (var sy = y0; sy < y1; sy++)
        {
            for (var sx = x0; sx < x1; sx++)
            {
                var i = ((sy * image.Width) + sx) * 4;
                var alpha = image.Data[i + 3] / 255.0;
                r += (image.Data[i] * alpha) + (255 * (1 - alpha));
                g += (image.Data[i + 1] * alpha) + (255 * (1 - alpha));
                b += (image.Data[i + 2] * alpha) + (255 * (1 - alpha));
                n++;
            }
        }

        canvas[pixel * 3] = (byte)Math.Round(r / n);
        canvas[(pixel * 3) + 1] = (byte)Math.Round(g / n);
        canvas[(pixel * 3) + 2] = (byte)Math.Round(b / n);
    }
}
