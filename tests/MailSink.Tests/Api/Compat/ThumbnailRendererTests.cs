using MailSink.Api.Compat;
using SkiaSharp;

namespace MailSink.Tests.Api.Compat;

/// <summary>Mailpit's 180x120 thumbnails: cover-and-crop for large images, centred for small ones, blank for the rest.</summary>
public sealed class ThumbnailRendererTests
{
    [Fact]
    public void A_large_image_covers_the_whole_thumbnail()
    {
        using var thumb = Decode(ThumbnailRenderer.Render("image/png", Png(600, 200, SKColors.Red)));
        Assert.Equal((180, 120), (thumb.Width, thumb.Height));
        AssertColor(SKColors.Red, thumb.GetPixel(2, 2));
        AssertColor(SKColors.Red, thumb.GetPixel(90, 60));
    }

    [Fact]
    public void A_small_image_is_centred_on_white_without_being_enlarged()
    {
        using var thumb = Decode(ThumbnailRenderer.Render("image/png", Png(40, 20, SKColors.Blue)));
        AssertColor(SKColors.Blue, thumb.GetPixel(90, 60));
        AssertColor(SKColors.White, thumb.GetPixel(60, 60));
        AssertColor(SKColors.White, thumb.GetPixel(5, 5));
    }

    [Theory]
    [InlineData("text/plain", "not an image")]
    [InlineData("image/png", "not really a PNG")]
    public void Anything_else_gets_the_blank_thumbnail(string contentType, string content)
    {
        using var thumb = Decode(ThumbnailRenderer.Render(contentType, System.Text.Encoding.ASCII.GetBytes(content)));
        Assert.Equal((180, 120), (thumb.Width, thumb.Height));
        AssertColor(SKColors.White, thumb.GetPixel(90, 60));
    }

    [Fact]
    public void An_image_claiming_too_many_pixels_is_not_decoded()
    {
        // A 1x1 GIF whose logical screen and image say 10000x10000: over the 20-megapixel limit.
        byte[] gif =
        [
            .."GIF89a"u8, 0x10, 0x27, 0x10, 0x27, 0x80, 0, 0, 0xFF, 0, 0, 0, 0, 0,
            0x2C, 0, 0, 0, 0, 0x10, 0x27, 0x10, 0x27, 0, 0x02, 0x02, 0x44, 0x01, 0, 0x3B,
        ];
        using var thumb = Decode(ThumbnailRenderer.Render("image/gif", gif));
        AssertColor(SKColors.White, thumb.GetPixel(90, 60));
    }

    private static byte[] Png(int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKBitmap Decode(byte[] jpeg)
    {
        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg[..3]);
        return SKBitmap.Decode(jpeg);
    }

    /// <summary>JPEG is lossy: close is equal.</summary>
    private static void AssertColor(SKColor expected, SKColor actual) =>
        Assert.True(Math.Abs(expected.Red - actual.Red) < 40 && Math.Abs(expected.Green - actual.Green) < 40 && Math.Abs(expected.Blue - actual.Blue) < 40, $"expected {expected}, got {actual}");
}
