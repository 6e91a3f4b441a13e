// The PNG fast path (src/io/image_png_fast.cpp) against libpng's own decoding: the same pixels for RGB and RGBA
// files written with each of PNG's five row filters (and libpng's adaptive choice among them), over widths where the
// filters' left neighbours and the rows above matter; and no answer at all, leaving libpng to decide, for every
// layout it does not take and for files that are cut or damaged anywhere.
#include "io/image_decoders.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>
#include <png.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

void append(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}

// `pixels` (width x height, `channels` 3 or 4 bytes each) written with libpng's full API: `filters` one of
// PNG_FILTER_NONE ... PNG_ALL_FILTERS, bit depth `depth` (16: each byte repeated), Adam7 when `interlace`.
Bytes encode(const Bytes& pixels, int width, int height, int channels, int filters, int depth = 8,
             bool interlace = false) {
    Bytes out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(png, &out, append, nullptr);
    png_set_IHDR(png, info, width, height, depth, channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_write_info(png, info);
    const std::size_t bytes = depth / 8;
    Bytes rows(pixels.size() * bytes);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = pixels[i / bytes];
    std::vector<png_bytep> pointers(height);
    for (int y = 0; y < height; ++y) pointers[y] = &rows[static_cast<std::size_t>(y) * width * channels * bytes];
    png_write_image(png, pointers.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

Bytes noise(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    Bytes v(n);
    // Runs of equal bytes among the noise, so that Up, Avg and Paeth see both kinds of neighbours.
    for (std::size_t i = 0; i < n; ++i) v[i] = i % 7 < 3 && i ? v[i - 1] : static_cast<std::uint8_t>(rng());
    return v;
}

const emo::io::ImageReadOptions defaults;

TEST(ImagePngFast, EachFilterGivesLibpngsPixels) {
    const int filters[] = {PNG_FILTER_NONE, PNG_FILTER_SUB,   PNG_FILTER_UP,
                           PNG_FILTER_AVG,  PNG_FILTER_PAETH, PNG_ALL_FILTERS};
    for (const int channels : {3, 4})
        for (const auto& [width, height] : {std::pair{1, 1}, {2, 3}, {5, 4}, {33, 17}, {640, 9}})
            for (const int filter : filters) {
                const auto pixels = noise(static_cast<std::size_t>(width) * height * channels, width * 31 + filter);
                const auto file = encode(pixels, width, height, channels, filter);
                const auto fast = emo::io::decode_png_fast(file.data(), file.size(), "t.png", defaults);
                const auto slow = emo::io::decode_png_libpng(file.data(), file.size(), "t.png", defaults);
                SCOPED_TRACE(std::to_string(channels) + " channels, " + std::to_string(width) + "x" +
                             std::to_string(height) + ", filter " + std::to_string(filter));
                ASSERT_TRUE(fast.has_value());
                EXPECT_EQ(fast->width, width);
                EXPECT_EQ(fast->height, height);
                EXPECT_EQ(fast->rgb, slow.rgb);
                // And libpng agrees with the pixels written (alpha dropped).
                for (std::size_t i = 0; i < static_cast<std::size_t>(width) * height; ++i)
                    ASSERT_EQ(std::memcmp(&slow.rgb[3 * i], &pixels[channels * i], 3), 0) << "pixel " << i;
                // decode_png, the entry point, takes the fast path's answer.
                EXPECT_EQ(emo::io::decode_png(file.data(), file.size(), "t.png", defaults).rgb, slow.rgb);
            }
}

TEST(ImagePngFast, OtherLayoutsAreLeftToLibpng) {
    const auto pixels = noise(8 * 6 * 3, 5);
    const auto sixteen = encode(pixels, 8, 6, 3, PNG_ALL_FILTERS, 16);
    const auto interlaced = encode(pixels, 8, 6, 3, PNG_ALL_FILTERS, 8, true);
    for (const auto* file : {&sixteen, &interlaced}) {
        EXPECT_FALSE(emo::io::decode_png_fast(file->data(), file->size(), "t.png", defaults).has_value());
        // ... which still decodes them.
        EXPECT_EQ(emo::io::decode_png(file->data(), file->size(), "t.png", defaults).rgb, pixels);
    }
}

TEST(ImagePngFast, CutOrDamagedFilesAreLeftToLibpng) {
    const int width = 40, height = 30;
    const auto file = encode(noise(width * height * 3, 6), width, height, 3, PNG_ALL_FILTERS);
    ASSERT_TRUE(emo::io::decode_png_fast(file.data(), file.size(), "t.png", defaults).has_value());
    for (std::size_t cut = 0; cut < file.size(); cut += 7)
        EXPECT_FALSE(emo::io::decode_png_fast(file.data(), cut, "t.png", defaults).has_value()) << "cut at " << cut;
    // One flipped bit anywhere past the signature: a chunk's length, name, data or CRC.
    for (std::size_t at = 8; at < file.size(); at += 5) {
        Bytes bad = file;
        bad[at] ^= 0x10;
        EXPECT_FALSE(emo::io::decode_png_fast(bad.data(), bad.size(), "t.png", defaults).has_value()) << "at " << at;
    }
}

TEST(ImagePngFast, TheSizeLimitStillApplies) {
    const auto file = encode(noise(20 * 10 * 3, 7), 20, 10, 3, PNG_ALL_FILTERS);
    emo::io::ImageReadOptions options;
    options.max_pixels = 199;
    EXPECT_THROW(emo::io::decode_png_fast(file.data(), file.size(), "t.png", options), emo::Error);
}

}  // namespace
