namespace MailSink.Api.Compat;

/// <summary>
/// A small baseline JPEG encoder (ITU-T T.81) for thumbnails: YCbCr without subsampling, the Annex K quantisation
/// tables scaled to a quality as libjpeg scales them, and one fixed-length Huffman table per class (every DC
/// category 4 bits, every AC run/size 8 bits). That costs some compression, irrelevant at 180x120, and keeps the
/// encoder free of the Annex K code tables and of a second pass; any baseline decoder reads it.
/// </summary>
internal static class BaselineJpegEncoder
{
    private static readonly int[] LuminanceQuantization =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly int[] ChrominanceQuantization =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    /// <summary>Natural (row-major) index of the n-th coefficient in zig-zag order.</summary>
    private static readonly int[] ZigZag = BuildZigZag();

    /// <summary>AC symbols: end of block, sixteen zeros, then run (0-15) and size (1-10).</summary>
    private static readonly byte[] AcSymbols =
        [0x00, 0xF0, .. Enumerable.Range(0, 16).SelectMany(run => Enumerable.Range(1, 10).Select(size => (byte)((run << 4) | size)))];

    private static readonly int[] AcCode = BuildAcCodes();

    private static readonly float[,] Cosines = BuildCosines();

    /// <summary>Encodes RGB pixels (3 bytes each, row-major) as a JPEG of the given quality (1-100).</summary>
    public static byte[] Encode(byte[] rgb, int width, int height, int quality)
    {
        var tables = new[] { Scale(LuminanceQuantization, quality), Scale(ChrominanceQuantization, quality) };
        using var output = new MemoryStream();
        WriteHeaders(output, width, height, tables);

        var bits = new BitWriter(output);
        var previousDc = new int[3];
        var block = new float[64];
        for (var by = 0; by < height; by += 8)
        {
            for (var bx = 0; bx < width; bx += 8)
            {
                for (var component = 0; component < 3; component++)
                {
                    Sample(rgb, width, height, bx, by, component, block);
                    var coefficients = Quantize(Dct(block), tables[component == 0 ? 0 : 1]);
                    EncodeBlock(bits, coefficients, ref previousDc[component]);
                }
            }
        }

        bits.Flush();
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static void Sample(byte[] rgb, int width, int height, int bx, int by, int component, float[] block)
    {
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                // Edge blocks repeat the last row and column (T.81 leaves the padding to the encoder).
                var i = ((Math.Min(by + y, height - 1) * width) + Math.Min(bx + x, width - 1)) * 3;
                float r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
                block[(y * 8) + x] = component switch
                {
                    0 => (0.299f * r) + (0.587f * g) + (0.114f * b) - 128f,
                    1 => (-0.168736f * r) - (0.331264f * g) + (0.5f * b),
                    _ => (0.5f * r) - (0.418688f * g) - (0.081312f * b),
                };
            }
        }
    }

    private static float[] Dct(float[] block)
    {
        var result = new float[64];
        for (var v = 0; v < 8; v++)
        {
            for (var u = 0; u < 8; u++)
            {
                var sum = 0f;
                for (var y = 0; y < 8; y++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        sum += block[(y * 8) + x] * Cosines[x, u] * Cosines[y, v];
                    }
                }

                var cu = u == 0 ? 1 / MathF.Sqrt(2) : 1;
                var cv = v == 0 ? 1 / MathF.Sqrt(2) : 1;
                result[(v * 8) + u] = 0.25f * cu * cv * sum;
            }
        }

        return result;
    }

    private static int[] Quantize(float[] dct, int[] table)
    {
        var zigzagged = new int[64];
        for (var k = 0; k < 64; k++)
        {
            var natural = ZigZag[k];
            zigzagged[k] = (int)MathF.Round(dct[natural] / table[natural]);
        }

        return zigzagged;
    }

    private static void EncodeBlock(BitWriter bits, int[] coefficients, ref int previousDc)
    {
        var diff = coefficients[0] - previousDc;
        previousDc = coefficients[0];
        var dcSize = Magnitude(diff);
        bits.Write(dcSize, 4);
        bits.WriteValue(diff, dcSize);

        var run = 0;
        for (var k = 1; k < 64; k++)
        {
            if (coefficients[k] == 0)
            {
                run++;
                continue;
            }

            for (; run >= 16; run -= 16)
            {
                bits.Write(AcCode[0xF0], 8);
            }

            var size = Magnitude(coefficients[k]);
            bits.Write(AcCode[(run << 4) | size], 8);
            bits.WriteValue(coefficients[k], size);
            run = 0;
        }

        if (run > 0)
        {
            bits.Write(AcCode[0x00], 8);
        }
    }

    /// <summary>The bit length of |value| (T.81 F.1.2.1: the "category" or "SSSS").</summary>
    private static int Magnitude(int value)
    {
        var magnitude = Math.Abs(value);
        var size = 0;
        for (; magnitude > 0; magnitude >>= 1)
        {
            size++;
        }

        return size;
    }

    private static void WriteHeaders(Stream output, int width, int height, int[][] tables)
    {
        output.Write([0xFF, 0xD8]);
        Segment(output, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        for (var t = 0; t < 2; t++)
        {
            Segment(output, 0xDB, [(byte)t, .. ZigZag.Select(natural => (byte)tables[t][natural])]);
        }

        Segment(output, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);

        // One DC table (class 0, id 0): 12 symbols of 4 bits. One AC table (class 1, id 0): 162 symbols of 8 bits.
        byte[] dcCounts = [0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] acCounts = [0, 0, 0, 0, 0, 0, 0, (byte)AcSymbols.Length, 0, 0, 0, 0, 0, 0, 0, 0];
        Segment(output, 0xC4, [0x00, .. dcCounts, .. Enumerable.Range(0, 12).Select(i => (byte)i), 0x10, .. acCounts, .. AcSymbols]);

        Segment(output, 0xDA, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);
    }

    private static void Segment(Stream output, byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        output.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.Write(payload);
    }

    /// <summary>libjpeg's quality scaling (jcparam.c): 50 keeps the tables, higher divides, lower multiplies.</summary>
    private static int[] Scale(int[] table, int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        var factor = quality < 50 ? 5000 / quality : 200 - (quality * 2);
        return table.Select(q => Math.Clamp(((q * factor) + 50) / 100, 1, 255)).ToArray();
    }

    private static int[] BuildZigZag()
    {
        var order = new int[64];
        var n = 0;
        for (var diagonal = 0; diagonal < 15; diagonal++)
        {
            for (var i = 0; i <= diagonal; i++)
            {
                // Even diagonals run up and to the right, odd ones down and to the left.
                var (row, col) = diagonal % 2 == 0 ? (diagonal - i, i) : (i, diagonal - i);
                if (row < 8 && col < 8)
                {
                    order[n++] = (row * 8) + col;
                }
            }
        }

        return order;
    }

    private static int[] BuildAcCodes()
    {
        // Canonical codes of one length are consecutive in symbol order (T.81 Annex C).
        var codes = new int[256];
        for (var i = 0; i < AcSymbols.Length; i++)
        {
            codes[AcSymbols[i]] = i;
        }

        return codes;
    }

    private static float[,] BuildCosines()
    {
        var table = new float[8, 8];
        for (var x = 0; x < 8; x++)
        {
            for (var u = 0; u < 8; u++)
            {
                table[x, u] = MathF.Cos(((2 * x) + 1) * u * MathF.PI / 16);
            }
        }

        return table;
    }

    /// <summary>Entropy-coded bits, most significant first, with 0xFF stuffed by 0x00 (T.81 B.1.1.5).</summary>
    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write(int code, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((code >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>The low bits of a coefficient: negative values as value - 1 in <paramref name="size"/> bits (F.1.2.1).</summary>
        public void WriteValue(int value, int size)
        {
            if (size > 0)
            {
                Write(value < 0 ? value - 1 + (1 << size) : value, size);
            }
        }

        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.WriteByte(0);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
