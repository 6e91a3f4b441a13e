// BMP through stb_image, linked from Debian's libstb (libstb-dev ships the compiled library, so no implementation is
// compiled here). Only files that start with "BM" reach it, and no other format stb knows starts so, so stb's own
// sniffing always lands on its BMP loader. stb reads past the end of the data as zeros, which would turn a cut file
// into a picture with a black band: the headers are checked here first, and an uncompressed file shorter than its
// rows is refused.
#include "io/image_decoders.hpp"

#include <stb_image.h>

#include <climits>
#include <cstdlib>
#include <memory>
#include <string>

namespace emo::io {
namespace {

std::uint32_t u16(const std::uint8_t* p) { return p[0] | (p[1] << 8); }
std::uint32_t u32(const std::uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }

constexpr std::size_t file_header = 14;  // "BM", file size, two reserved words, offset of the pixels
constexpr std::uint32_t bi_rgb = 0, bi_bitfields = 3;

struct Layout {
    std::int64_t width = 0, height = 0;  // height negative for rows stored top to bottom
    std::uint32_t bits = 0, compression = bi_rgb;
};

Layout read_layout(const std::uint8_t* data, std::size_t size, const std::string& name) {
    const auto truncated = [&] { image_error(name, "truncated BMP (the data ends early)"); };
    if (size < file_header + 4) truncated();
    const std::uint32_t info_size = u32(data + file_header);
    Layout layout;
    if (info_size == 12) {  // OS/2's BITMAPCOREHEADER: 16-bit unsigned sizes
        if (size < file_header + 12) truncated();
        layout.width = u16(data + 18);
        layout.height = u16(data + 20);
        layout.bits = u16(data + 24);
    } else if (info_size >= 40) {  // BITMAPINFOHEADER and its later versions
        if (size < file_header + 40) truncated();
        layout.width = static_cast<std::int32_t>(u32(data + 18));
        layout.height = static_cast<std::int32_t>(u32(data + 22));
        layout.bits = u16(data + 28);
        layout.compression = u32(data + 30);
    } else {
        image_error(name, "corrupt BMP: unknown header of " + std::to_string(info_size) + " bytes");
    }
    if (layout.width < 0) image_error(name, "corrupt BMP: negative width");
    return layout;
}

struct StbFree {
    void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

}  // namespace

Image decode_bmp(const std::uint8_t* data, std::size_t size, const std::string& name, const ImageReadOptions& options) {
    const Layout layout = read_layout(data, size, name);
    const std::uint64_t width = static_cast<std::uint64_t>(layout.width);
    const std::uint64_t height = static_cast<std::uint64_t>(std::llabs(layout.height));
    check_image_size(name, width, height, options);
    if (layout.compression == bi_rgb || layout.compression == bi_bitfields) {
        // Rows are padded to 4 bytes; the 64-bit product cannot overflow (width, height < 2^31, bits < 2^16).
        const std::uint64_t row = (width * layout.bits + 31) / 32 * 4;
        const std::uint64_t end = u32(data + 10) + row * height;
        if (end > size) image_error(name, "truncated BMP (the data ends early)");
    }
    if (size > static_cast<std::size_t>(INT_MAX)) image_error(name, "BMP file over 2 GB");
    const int length = static_cast<int>(size);
    // stb reads the size from the same header fields as read_layout, so the check above bounds what it allocates.
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, StbFree> pixels(stbi_load_from_memory(data, length, &w, &h, &channels, 3));
    if (!pixels) image_error(name, std::string("corrupt BMP: ") + stbi_failure_reason());
    if (static_cast<std::uint64_t>(w) != width || static_cast<std::uint64_t>(h) != height)
        image_error(name, "corrupt BMP: decoded as " + std::to_string(w) + "x" + std::to_string(h));
    Image image;
    image.width = w;
    image.height = h;
    image.rgb.assign(pixels.get(), pixels.get() + static_cast<std::size_t>(w) * h * 3);
    return image;
}

}  // namespace emo::io
