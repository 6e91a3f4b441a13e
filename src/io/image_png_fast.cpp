// The common PNG, 8-bit RGB or RGBA and not interlaced, decoded without libpng: libdeflate inflates the whole image
// data in one call, about twice as fast as zlib fed row by row through libpng, which made PNG decoding a quarter of
// `emo face`'s time on a 640x480 photo (issue 15's bar (c)). Anything else, and any file this path finds fault with,
// goes to libpng, which decodes it or words the error; so this path only ever has to be right on valid files, where
// its pixels equal libpng's (tests/test_image_png_fast.cpp), and safe on the rest.
#include "io/image_decoders.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace emo::io {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// Bounds of this path's own: a side or a chunk past them is left to libpng, which decides on it.
constexpr std::uint32_t most_side = 1'000'000;
constexpr std::size_t most_chunk = 8'000'000;

// Chunk names are four ASCII letters.
bool valid_name(const std::uint8_t* type) {
    for (int i = 0; i < 4; ++i)
        if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z'))) return false;
    return true;
}

struct DecompressorFree {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

std::uint8_t paeth(std::uint8_t a, std::uint8_t b, std::uint8_t c) {
    const int p = a + b - c, pa = p > a ? p - a : a - p, pb = p > b ? p - b : b - p, pc = p > c ? p - c : c - p;
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// Undoes the filter of one row (PNG 1.2, section 9) from `in` into `out`, which may be the same: B bytes a pixel,
// `prev` the row above once unfiltered (zeros above the first). The left pixel is kept in locals rather than read
// back from `out`, which would wait on the store just made: Avg and Paeth are a chain along the row. False for an
// unknown filter type.
template <std::size_t B>
bool unfilter(std::uint8_t type, const std::uint8_t* in, std::uint8_t* out, const std::uint8_t* prev,
              std::size_t length) {
    std::uint8_t left[B] = {}, up_left[B] = {};
    switch (type) {
        case 0:
            if (out != in) std::memcpy(out, in, length);
            return true;
        case 1:
            for (std::size_t i = 0; i < length; i += B)
                for (std::size_t c = 0; c < B; ++c)
                    out[i + c] = left[c] = static_cast<std::uint8_t>(in[i + c] + left[c]);
            return true;
        case 2:
            for (std::size_t i = 0; i < length; ++i) out[i] = static_cast<std::uint8_t>(in[i] + prev[i]);
            return true;
        case 3:
            for (std::size_t i = 0; i < length; i += B)
                for (std::size_t c = 0; c < B; ++c)
                    out[i + c] = left[c] = static_cast<std::uint8_t>(in[i + c] + ((left[c] + prev[i + c]) >> 1));
            return true;
        case 4:
            for (std::size_t i = 0; i < length; i += B)
                for (std::size_t c = 0; c < B; ++c) {
                    const std::uint8_t up = prev[i + c];
                    out[i + c] = left[c] = static_cast<std::uint8_t>(in[i + c] + paeth(left[c], up, up_left[c]));
                    up_left[c] = up;
                }
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<Image> decode_png_fast(const std::uint8_t* data, std::size_t size, const std::string& name,
                                     const ImageReadOptions& options) {
    // The chunks: IHDR first, then the IDATs in one run, then IEND; every CRC right; ancillary chunks skipped
    // (libpng, as emo calls it, applies none of them to 8-bit RGB); any other critical chunk goes to libpng.
    constexpr std::size_t signature = 8;
    if (size < signature || std::memcmp(data, "\x89PNG\r\n\x1a\n", signature) != 0) return std::nullopt;
    std::size_t pos = signature;
    std::uint32_t width = 0, height = 0;
    std::size_t bpp = 0;
    std::vector<std::uint8_t> compressed;
    compressed.reserve(size);  // the file bounds the IDATs: one allocation, not a copy per doubling
    bool header = false, in_data = false, data_done = false, end = false;
    while (!end) {
        if (size - pos < 12) return std::nullopt;
        const std::uint32_t length = be32(data + pos);
        if (length > size - pos - 12) return std::nullopt;
        const std::uint8_t* type = data + pos + 4;
        const std::uint8_t* body = type + 4;
        if (!valid_name(type) || libdeflate_crc32(0, type, std::size_t{length} + 4) != be32(body + length))
            return std::nullopt;
        const auto is = [&](const char* t) { return std::memcmp(type, t, 4) == 0; };
        if (length > most_chunk) return std::nullopt;
        if (in_data && !is("IDAT")) data_done = true;
        if (!header) {
            if (!is("IHDR") || length != 13) return std::nullopt;
            width = be32(body);
            height = be32(body + 4);
            const std::uint8_t depth = body[8], color = body[9], compression = body[10], filter = body[11],
                               interlace = body[12];
            if (width == 0 || height == 0 || width > most_side || height > most_side || depth != 8 ||
                (color != 2 && color != 6) || compression || filter || interlace)
                return std::nullopt;
            bpp = color == 2 ? 3 : 4;
            header = true;
        } else if (is("IDAT")) {
            if (data_done) return std::nullopt;
            in_data = true;
            compressed.insert(compressed.end(), body, body + length);
        } else if (is("IEND")) {
            end = true;
        } else if ((type[0] & 0x20) == 0) {
            return std::nullopt;  // a critical chunk (PLTE, or one this path does not know)
        }
        pos += std::size_t{length} + 12;
    }
    if (!in_data) return std::nullopt;

    check_image_size(name, width, height, options);
    const std::size_t row = width * bpp, stride = row + 1, size_out = stride * height;
    // Not value-initialised: every byte is written by the inflater, which must fill it exactly.
    const std::unique_ptr<std::uint8_t[]> raw(new std::uint8_t[size_out]);
    const std::unique_ptr<libdeflate_decompressor, DecompressorFree> inflater(libdeflate_alloc_decompressor());
    if (!inflater) return std::nullopt;
    std::size_t in_used = 0, out_made = 0;
    // The stream must fill the rows exactly and end with the data: otherwise libpng decides (and words) what is wrong.
    if (libdeflate_zlib_decompress_ex(inflater.get(), compressed.data(), compressed.size(), raw.get(), size_out,
                                      &in_used, &out_made) != LIBDEFLATE_SUCCESS ||
        in_used != compressed.size() || out_made != size_out)
        return std::nullopt;

    // RGB rows are unfiltered straight into the image; RGBA ones in place (the alpha bytes are the next row's
    // neighbours), then copied without their alpha.
    Image image;
    image.width = static_cast<int>(width);
    image.height = static_cast<int>(height);
    image.rgb.resize(static_cast<std::size_t>(width) * height * 3);
    const std::vector<std::uint8_t> zeros(row, 0);
    const std::uint8_t* prev = zeros.data();
    for (std::size_t y = 0; y < height; ++y) {
        const std::uint8_t type = raw[y * stride];
        std::uint8_t* in = &raw[y * stride + 1];
        std::uint8_t* out = &image.rgb[y * width * 3];
        if (bpp == 3) {
            if (!unfilter<3>(type, in, out, prev, row)) return std::nullopt;
            prev = out;
        } else {
            if (!unfilter<4>(type, in, in, prev, row)) return std::nullopt;
            for (std::size_t i = 0; i < width; ++i) std::memcpy(out + 3 * i, in + 4 * i, 3);
            prev = in;
        }
    }
    return image;
}

}  // namespace emo::io
