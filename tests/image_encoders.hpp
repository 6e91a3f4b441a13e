// Test images made with the encoders of the libraries that emo decodes with (libjpeg, libpng, libwebp) and a BMP
// writer by hand: tests/test_image_io.cpp checks the decoders on them, and scripts/fuzz writes them as the seeds of
// fuzz_image (fuzz/seeds/write_image_seeds.cpp). No gtest here, so that both can include it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
// jpeglib.h needs size_t and FILE declared before it.
#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

#include <string>
#include <vector>

namespace emo_test {

using Bytes = std::vector<std::uint8_t>;

// A smooth RGB pattern (lossy codecs keep it within a few levels), different in each channel and along each axis.
inline Bytes gradient_rgb(int width, int height) {
    Bytes rgb(static_cast<std::size_t>(width) * height * 3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            std::uint8_t* p = &rgb[(static_cast<std::size_t>(y) * width + x) * 3];
            p[0] = static_cast<std::uint8_t>(20 + x * 200 / width);
            p[1] = static_cast<std::uint8_t>(30 + y * 180 / height);
            p[2] = static_cast<std::uint8_t>(200 - (x + y) * 150 / (width + height));
        }
    return rgb;
}

// `components` samples a pixel in `space` (JCS_RGB, JCS_GRAYSCALE, JCS_CMYK). libjpeg's default error handler exits
// the process, which is fine for inputs the test itself controls.
inline Bytes encode_jpeg(const std::uint8_t* samples, int width, int height, int components, J_COLOR_SPACE space,
                         int quality = 95, bool progressive = false) {
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr err{};
    cinfo.err = jpeg_std_error(&err);
    jpeg_create_compress(&cinfo);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &out, &size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = components;
    cinfo.in_color_space = space;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row =
            const_cast<JSAMPLE*>(samples + static_cast<std::size_t>(cinfo.next_scanline) * width * components);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    Bytes bytes(out, out + size);
    jpeg_destroy_compress(&cinfo);
    std::free(out);
    return bytes;
}

// `format` is one of png_image's (PNG_FORMAT_RGB, _GRAY, _RGBA, _GA, _LINEAR_RGB and _LINEAR_Y for 16 bits a
// sample, _RGB_COLORMAP with `colormap` holding `colormap_entries` RGB triples). Empty when libpng refuses.
inline Bytes encode_png(const void* pixels, int width, int height, png_uint_32 format,
                        const std::uint8_t* colormap = nullptr, int colormap_entries = 0) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(width);
    image.height = static_cast<png_uint_32>(height);
    image.format = format;
    image.colormap_entries = static_cast<png_uint_32>(colormap_entries);
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels, 0, colormap)) return {};
    Bytes bytes(size);
    if (!png_image_write_to_memory(&image, bytes.data(), &size, 0, pixels, 0, colormap)) return {};
    bytes.resize(size);
    return bytes;
}

// Lossless (exact) or lossy at `quality` (0..100).
inline Bytes encode_webp(const std::uint8_t* rgb, int width, int height, bool lossless, float quality = 90) {
    std::uint8_t* out = nullptr;
    const std::size_t size = lossless ? WebPEncodeLosslessRGB(rgb, width, height, width * 3, &out)
                                      : WebPEncodeRGB(rgb, width, height, width * 3, quality, &out);
    Bytes bytes(out, out + size);
    WebPFree(out);
    return bytes;
}

inline void put_le(Bytes& b, std::size_t at, std::uint32_t v, int n) {
    for (int i = 0; i < n; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// A 24-bit uncompressed BMP (BITMAPINFOHEADER): rows bottom to top unless `top_down` (negative height), pixels as
// B G R, rows padded to 4 bytes.
inline Bytes encode_bmp24(const std::uint8_t* rgb, int width, int height, bool top_down = false) {
    const std::size_t row = (static_cast<std::size_t>(width) * 3 + 3) / 4 * 4;
    const std::size_t offset = 14 + 40;
    Bytes b(offset + row * height, 0);
    b[0] = 'B';
    b[1] = 'M';
    put_le(b, 2, static_cast<std::uint32_t>(b.size()), 4);
    put_le(b, 10, offset, 4);
    put_le(b, 14, 40, 4);
    put_le(b, 18, static_cast<std::uint32_t>(width), 4);
    put_le(b, 22, static_cast<std::uint32_t>(top_down ? -height : height), 4);
    put_le(b, 26, 1, 2);   // planes
    put_le(b, 28, 24, 2);  // bits a pixel
    put_le(b, 34, static_cast<std::uint32_t>(row * height), 4);
    for (int y = 0; y < height; ++y) {
        const int stored = top_down ? y : height - 1 - y;
        for (int x = 0; x < width; ++x) {
            const std::uint8_t* p = rgb + (static_cast<std::size_t>(y) * width + x) * 3;
            std::uint8_t* q = &b[offset + stored * row + x * 3];
            q[0] = p[2];
            q[1] = p[1];
            q[2] = p[0];
        }
    }
    return b;
}

inline void write_bytes(const std::string& path, const Bytes& bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
}

}  // namespace emo_test
