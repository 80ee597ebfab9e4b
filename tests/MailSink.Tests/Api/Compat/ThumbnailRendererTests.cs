using MailSink.Api.Compat;
using StbImageSharp;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// Mailpit's 180x120 thumbnails: cover-and-crop for large images, centred for small ones, blank for the rest.
/// Every thumbnail is read back with stb_image (StbImageSharp), a decoder independent of MailSink's JPEG encoder.
/// </summary>
public sealed class ThumbnailRendererTests
{
    private static readonly (byte R, byte G, byte B) Red = (220, 20, 20);
    private static readonly (byte R, byte G, byte B) Blue = (20, 40, 200);
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);

    [Fact]
    public void A_large_image_covers_the_whole_thumbnail()
    {
        var source = BaselineJpegEncoder.Encode(Solid(600, 200, Red), 600, 200, 90);
        var thumb = Decode(ThumbnailRenderer.Render("image/jpeg", source));
        AssertColor(Red, thumb, 2, 2);
        AssertColor(Red, thumb, 90, 60);
        AssertColor(Red, thumb, 177, 117);
    }

    [Fact]
    public void A_small_image_is_centred_on_white_without_being_enlarged()
    {
        var thumb = Decode(ThumbnailRenderer.Render("image/bmp", Bmp(40, 20, Blue)));
        AssertColor(Blue, thumb, 90, 60);
        AssertColor(Blue, thumb, 72, 52);
        AssertColor(White, thumb, 60, 60);
        AssertColor(White, thumb, 90, 40);
        AssertColor(White, thumb, 5, 5);
    }

    [Fact]
    public void A_wide_image_is_scaled_to_the_height_and_cropped_at_the_sides()
    {
        // Left half red, right half blue, 360x120: scaled by 1 and cropped to the middle 180 pixels.
        var pixels = Solid(360, 120, Red);
        for (var y = 0; y < 120; y++)
        {
            for (var x = 180; x < 360; x++)
            {
                (pixels[((y * 360) + x) * 3], pixels[(((y * 360) + x) * 3) + 1], pixels[(((y * 360) + x) * 3) + 2]) = Blue;
            }
        }

        var thumb = Decode(ThumbnailRenderer.Render("image/jpeg", BaselineJpegEncoder.Encode(pixels, 360, 120, 95)));
        AssertColor(Red, thumb, 40, 60);
        AssertColor(Blue, thumb, 140, 60);
    }

    [Theory]
    [InlineData("text/plain", "not an image")]
    [InlineData("image/png", "not really a PNG")]
    public void Anything_else_gets_the_blank_thumbnail(string contentType, string content)
    {
        var thumb = Decode(ThumbnailRenderer.Render(contentType, System.Text.Encoding.ASCII.GetBytes(content)));
        AssertColor(White, thumb, 90, 60);
        AssertColor(White, thumb, 0, 0);
    }

    [Fact]
    public void An_image_claiming_too_many_pixels_is_not_decoded()
    {
        // A BMP header saying 10000x10000 (400 MB decoded) over a few bytes: over the 20-megapixel limit.
        var bomb = Bmp(10000, 10000, Blue, pixelBytes: 64);
        var thumb = Decode(ThumbnailRenderer.Render("image/bmp", bomb));
        AssertColor(White, thumb, 90, 60);
    }

    private static byte[] Solid(int width, int height, (byte R, byte G, byte B) color)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i += 3)
        {
            (rgb[i], rgb[i + 1], rgb[i + 2]) = color;
        }

        return rgb;
    }

    /// <summary>A 24-bit bottom-up BMP; <paramref name="pixelBytes"/> cuts the pixel data short (a lying header).</summary>
    private static byte[] Bmp(int width, int height, (byte R, byte G, byte B) color, int? pixelBytes = null)
    {
        var stride = ((width * 3) + 3) & ~3;
        var size = pixelBytes ?? (stride * height);
        var bmp = new byte[54 + size];
        void Int(int offset, int value) => BitConverter.TryWriteBytes(bmp.AsSpan(offset), value);
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        Int(2, bmp.Length);
        Int(10, 54);
        Int(14, 40);
        Int(18, width);
        Int(22, height);
        bmp[26] = 1;
        bmp[28] = 24;
        for (var i = 54; i + 2 < bmp.Length; i += 3)
        {
            (bmp[i], bmp[i + 1], bmp[i + 2]) = (color.B, color.G, color.R);
        }

        return bmp;
    }

    private static ImageResult Decode(byte[] jpeg)
    {
        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg[..3]);
        var image = ImageResult.FromMemory(jpeg, ColorComponents.RedGreenBlue);
        Assert.Equal((180, 120), (image.Width, image.Height));
        return image;
    }

    /// <summary>JPEG is lossy: close is equal.</summary>
    private static void AssertColor((byte R, byte G, byte B) expected, ImageResult image, int x, int y)
    {
        var i = ((y * image.Width) + x) * 3;
        var actual = (image.Data[i], image.Data[i + 1], image.Data[i + 2]);
        Assert.True(
            Math.Abs(expected.R - actual.Item1) < 24 && Math.Abs(expected.G - actual.Item2) < 24 && Math.Abs(expected.B - actual.Item3) < 24,
            $"at ({x},{y}) expected {expected}, got {actual}");
    }
}
