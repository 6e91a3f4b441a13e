// PNG through libpng (common files first through image_png_fast.cpp). Reading uses libpng's full API rather than the
// simplified png_image one, whose conversions apply gamma (a 16-bit file without a gAMA chunk counts as linear light)
// and composite alpha on a background: here samples stay as stored, 16-bit ones keep their high byte and alpha is
// dropped, as the other readers do. libpng's error callback must not return; ours records the message and longjmps
// back. Writing uses the simplified API.
#include "io/image_decoders.hpp"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <string>
#include <vector>

namespace emo::io {
namespace {

// Plain data only: longjmp skips destructors, so nothing between a setjmp below and libpng's callbacks has one.
struct Reader {
    png_structp png;
    png_infop info;
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos;
    std::jmp_buf jump;
    bool truncated;
    char message[200];
};

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
    auto* r = static_cast<Reader*>(png_get_error_ptr(png));
    std::strncpy(r->message, message, sizeof r->message - 1);
    std::longjmp(r->jump, 1);
}

void on_warning(png_structp, png_const_charp) {}  // recoverable; not worth a line on stderr for each file

void on_read(png_structp png, png_bytep out, png_size_t length) {
    auto* r = static_cast<Reader*>(png_get_io_ptr(png));
    if (length > r->size - r->pos) {
        r->truncated = true;
        png_error(png, "the data ends early");
    }
    std::memcpy(out, r->data + r->pos, length);
    r->pos += length;
}

// Reads the chunks before the image data; false when libpng gave up (r.message, r.truncated).
bool read_header(Reader& r) {
    if (setjmp(r.jump)) return false;
    r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
    if (!r.png) {
        std::strcpy(r.message, "out of memory");
        return false;
    }
    r.info = png_create_info_struct(r.png);
    if (!r.info) png_error(r.png, "out of memory");
    png_set_read_fn(r.png, &r, on_read);
    png_read_info(r.png, r.info);
    return true;
}

// Decodes into `rows` (one pointer per row of width * 3 bytes), then reads up to IEND, so that a file cut after its
// image data or with a bad checksum there is refused too.
bool read_pixels(Reader& r, png_bytep* rows) {
    if (setjmp(r.jump)) return false;
    const int color = png_get_color_type(r.png, r.info);
    png_set_strip_16(r.png);
    png_set_strip_alpha(r.png);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r.png);
    if ((color & PNG_COLOR_MASK_COLOR) == 0) {
        png_set_expand_gray_1_2_4_to_8(r.png);
        png_set_gray_to_rgb(r.png);
    }
    png_set_interlace_handling(r.png);
    png_read_update_info(r.png, r.info);
    if (png_get_channels(r.png, r.info) != 3 || png_get_bit_depth(r.png, r.info) != 8)
        png_error(r.png, "unexpected layout after conversion to 8-bit RGB");
    png_read_image(r.png, rows);
    png_read_end(r.png, nullptr);
    return true;
}

struct ReaderGuard {
    Reader& r;
    ~ReaderGuard() {
        if (r.png) png_destroy_read_struct(&r.png, r.info ? &r.info : nullptr, nullptr);
    }
};

[[noreturn]] void fail(const Reader& r, const std::string& name) {
    if (r.truncated) image_error(name, "truncated PNG (the data ends early)");
    image_error(name, std::string("corrupt PNG: ") + r.message);
}

}  // namespace

Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name, const ImageReadOptions& options) {
    if (auto image = decode_png_fast(data, size, name, options)) return std::move(*image);
    return decode_png_libpng(data, size, name, options);
}

Image decode_png_libpng(const std::uint8_t* data, std::size_t size, const std::string& name,
                        const ImageReadOptions& options) {
    Reader r{};
    r.data = data;
    r.size = size;
    ReaderGuard guard{r};
    if (!read_header(r)) fail(r, name);
    // Before any row is allocated; libpng itself holds one or two rows at most.
    check_image_size(name, png_get_image_width(r.png, r.info), png_get_image_height(r.png, r.info), options);
    Image image;
    image.width = static_cast<int>(png_get_image_width(r.png, r.info));
    image.height = static_cast<int>(png_get_image_height(r.png, r.info));
    image.rgb.resize(static_cast<std::size_t>(image.width) * image.height * 3);
    std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
    for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = image.rgb.data() + y * image.width * 3;
    if (!read_pixels(r, rows.data())) fail(r, name);
    return image;
}

void write_png(const std::string& path, const Image& image) {
    if (image.width <= 0 || image.height <= 0 ||
        image.rgb.size() != static_cast<std::size_t>(image.width) * image.height * 3)
        image_error(path, "cannot write PNG: the image is empty or its pixels do not match " +
                              std::to_string(image.width) + "x" + std::to_string(image.height));
    png_image out{};
    out.version = PNG_IMAGE_VERSION;
    out.width = static_cast<png_uint_32>(image.width);
    out.height = static_cast<png_uint_32>(image.height);
    out.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&out, path.c_str(), 0, image.rgb.data(), 0, nullptr)) {
        const std::string why = out.message;
        png_image_free(&out);
        image_error(path, "cannot write PNG (" + why + ")");
    }
}

}  // namespace emo::io
